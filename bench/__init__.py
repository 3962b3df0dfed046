"""The benchmark of ``brief build`` (``make bench``) and its synthetic fact sheets."""
