"""distributor: a blog's new posts as email newsletters and social posts."""

__version__ = "0.1.0"
