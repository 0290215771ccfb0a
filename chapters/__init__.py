"""The course's chapters: each ``chapters/<chapter>`` holds its probes (what runs next to
student code), its judging helpers (what its checks share) and its mutants. See course.toml."""
