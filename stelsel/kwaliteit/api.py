"""API routes of the kwaliteit domain."""

from fastapi import APIRouter

router = APIRouter(tags=["kwaliteit"])
