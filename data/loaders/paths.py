"""Where the shipped data files live."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent
QPV_GEOJSON = DATA_DIR / "sources" / "qpv-37-44.geojson"
FRANCE_SERVICES_CSV = DATA_DIR / "sources" / "france-services-37-44.csv"
DEMO_DIRECTORY = DATA_DIR / "demo" / "directory.json"
SYNONYMS = DATA_DIR / "search" / "synonyms.json"
