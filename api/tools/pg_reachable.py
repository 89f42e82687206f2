"""Exit 0 when the PostgreSQL URL given as argument accepts connections."""

import sys

from api.db import is_reachable, make_engine

if __name__ == "__main__":
    sys.exit(0 if is_reachable(make_engine(sys.argv[1])) else 1)
