"""Polling sources: read each source, compare with what is recorded, record new and edited posts."""
