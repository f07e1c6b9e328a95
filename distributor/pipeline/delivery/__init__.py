"""Delivering campaigns: states, planning, schedule, claim, compose, send and progress."""
