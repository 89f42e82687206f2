"""Settings every test process (and the live servers it starts) shares."""

import os

# Each search's count is written at once, so a test reads it back
# (production waits REPERES_SEARCH_STATS_FLUSH_SECONDS; tests/api/test_search_stats.py).
os.environ.setdefault("REPERES_SEARCH_STATS_FLUSH_SECONDS", "0")
# One process builds hundreds of apps: frozen, their objects would never be
# freed (a server builds one; api/services/system/collector.py).
os.environ.setdefault("REPERES_GC_FREEZE", "0")
