"""The process's clock, set once at start-up from the settings."""

from models.base import CLOCK
from settings import Settings


def start_clock(settings: Settings) -> None:
    """With CLOCK_START, the clock starts at that instant and runs on at the system's pace
    (several processes started with the same value agree to within their start-up times)."""
    if settings.clock_start is not None:
        CLOCK.set(settings.clock_start)
