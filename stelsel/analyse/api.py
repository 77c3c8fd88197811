"""API routes of the analyse domain."""

from fastapi import APIRouter

router = APIRouter(tags=["analyse"])
