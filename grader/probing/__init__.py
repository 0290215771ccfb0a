"""The student's side: loading a submission, the probes that call it, and the only format that
crosses back (JSON + safetensors). Imports nothing from the judge's side (a test guards it)."""
