"""The framework floor: a FastAPI endpoint that does nothing."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/bare")
def bare() -> dict[str, bool]:
    return {"ok": True}
