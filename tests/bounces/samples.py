"""The bounce and complaint samples: real formats of each MTA, written for delivery ids 41-48.

Their tokens were signed with SAMPLE_KEY, as the sending side would have done.
"""

from __future__ import annotations

from pathlib import Path

SAMPLES = Path(__file__).parent / "samples"
SAMPLE_KEY = b"bounce-samples-key"


def sample(name: str) -> bytes:
    """The bytes of one sample report."""
    return (SAMPLES / name).read_bytes()
