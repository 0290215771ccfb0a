"""Sleeps far past any time limit, at import."""
import time

time.sleep(10_000)
