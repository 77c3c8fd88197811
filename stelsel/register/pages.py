"""Register pages (server-rendered)."""

from fastapi import APIRouter

router = APIRouter()
