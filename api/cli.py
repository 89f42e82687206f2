"""The ``reperes`` command line."""

from __future__ import annotations

import os
import secrets
import socket
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from api import db
from api.models import CoordinatorScope, Organization, Role
from api.services.accounts.auth import (
    EMAIL,
    TOKEN_SCOPES,
    add_member,
    ensure_user,
    issue_token,
)
from api.services.partner import reminders
from api.settings import get_settings

app = typer.Typer(
    help="Repères: shared directory of social services in priority neighbourhoods.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console()


class Scope(StrEnum):
    read = "read"
    write = "write"


def fail(message: str) -> NoReturn:
    console.print(f"[red]Error:[/red] {message}")
    raise typer.Exit(1)


def engine_or_fail() -> Engine:
    engine = db.get_engine()
    if not db.is_reachable(engine):
        fail(f"cannot reach the database at {engine.url.render_as_string()}")
    return engine


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    db.upgrade(engine_or_fail(), revision)
    console.print(f"Database at revision {revision}.")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()] = "-1") -> None:
    """Revert migrations down to REVISION (default: one step; 'base' drops all)."""
    db.downgrade(engine_or_fail(), revision)
    console.print(f"Database downgraded to {revision}.")


@app.command("load-demo")
def load_demo(
    if_empty: Annotated[
        bool, typer.Option(help="Do nothing when the directory already has data.")
    ] = False,
) -> None:
    """Load QPV contours, France services and the demo directory (idempotent)."""
    from data.loaders.demo import has_directory
    from data.loaders.load_all import load_everything

    with Session(engine_or_fail()) as session:
        try:
            if if_empty and has_directory(session):
                console.print("The directory already has data: nothing loaded.")
                return
            with Progress(console=console, transient=True) as progress:
                report = load_everything(session, progress)
        except OperationalError as error:
            fail(f"the database is not ready ({error.orig}); run 'reperes db upgrade'")
    table = Table("table", "outcome", "rows", title="load-demo")
    for (name, outcome), count in sorted(report.counts.items()):
        table.add_row(name, outcome, str(count))
    console.print(table)
    for where, reason in report.rejected:
        console.print(f"[yellow]rejected[/yellow] {where}: {reason}")


@app.command("add-synonym")
def add_synonym(
    term: Annotated[str, typer.Argument(help="Everyday word or phrase, e.g. 'colis'.")],
    category: Annotated[
        list[str], typer.Option(help="Theme or category code it means (repeat).")
    ],
    lang: Annotated[
        str, typer.Option(help="Language of the term: fr, en, ar, fa (Dari), ps…")
    ] = "fr",
) -> None:
    """Teach search an everyday word: TERM (in LANG) finds services of these themes."""
    from api.services.coordination.synonyms import LANGUAGES, SynonymError, teach
    from api.vocabulary import CATEGORIES, THEMES

    unknown = [c for c in category if c not in THEMES and c not in CATEGORIES]
    if unknown:
        raise typer.BadParameter(
            f"unknown code {', '.join(unknown)}", param_hint="--category"
        )
    if lang not in LANGUAGES:
        raise typer.BadParameter(
            f"unknown language {lang} (one of {', '.join(sorted(LANGUAGES))})",
            param_hint="--lang",
        )
    with Session(engine_or_fail()) as session:
        try:
            row = teach(session, term, lang, category)
        except SynonymError as error:
            raise typer.BadParameter(
                "must contain letters or digits", param_hint="TERM"
            ) from error
        folded, meaning = row.term, ", ".join(row.categories)
    console.print(f"« {folded} » ({lang}) now finds: {meaning}")


def default_workers() -> int:
    """One server process per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket as uvicorn's single process opens it: created with its
    protocol (asyncio then sets TCP_NODELAY on each connection) and
    TCP_NODELAY itself, which Linux passes to accepted connections. uvicorn's
    own socket for several workers has neither, and every keep-alive answer
    then waits ~40 ms for a delayed ACK (uvicorn issue #3149)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


@app.command()
def serve(
    port: Annotated[int, typer.Option(min=1, max=65535, envvar="PORT")] = 8000,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    reload: Annotated[bool, typer.Option(help="Restart on code changes.")] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            envvar=["REPERES_WORKERS", "WEB_CONCURRENCY"],
            help="Server processes (default: one per core; 1 with --reload).",
        ),
    ] = None,
) -> None:
    """Serve the website and the API."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    count = 1 if reload else (workers or default_workers())
    # No access log: it would write residents' IP addresses to disk. No proxy
    # headers: uvicorn would believe X-Forwarded-For from 127.0.0.1; the app
    # reads it only from REPERES_TRUSTED_PROXIES (api.services.system.ratelimit).
    options = {"access_log": False, "proxy_headers": False}
    if count == 1:
        uvicorn.run("api.main:app", host=host, port=port, reload=reload, **options)
        return
    # Several processes share one socket; what they share otherwise lives in
    # the database (the search cache is keyed by its version).
    # A worker importing the app on a busy machine can take more than
    # uvicorn's 5 s to answer its first health check: it would be killed and
    # restarted forever.
    config = uvicorn.Config(
        "api.main:app", workers=count, timeout_worker_healthcheck=60, **options
    )
    sock = listening_socket(host, port)
    console.print(f"Serving http://{host}:{port} with {count} processes")
    Multiprocess(config, sockets=[sock]).run()


def organization_or_bad_parameter(
    session: Session, ref: str, include_deleted: bool = False, hint: str = "--org"
) -> Organization:
    """The organisation with this slug or id; exit 2 naming create-org if none."""
    from api.services.onboarding.organizations import find

    organization = find(session, ref, include_deleted)
    if organization is None:
        raise typer.BadParameter(
            f"no organisation with slug or id {ref!r} "
            "(create it first: reperes create-org NAME --commune INSEE)",
            param_hint=hint,
        )
    return organization


def _set_organization_deleted(slug: str, deleted: bool) -> None:
    from api.services.listings.revisions import Actor
    from api.services.partner import org_deletion

    with Session(engine_or_fail()) as session:
        organization = organization_or_bad_parameter(session, slug, True, "SLUG")
        slug = organization.slug
        actor = Actor("system", "command line")
        if org_deletion.set_deleted(session, organization, actor, deleted):
            if deleted:  # a waiting request is settled by this
                request = org_deletion.waiting(session, organization.id)
                if request is not None:
                    org_deletion.decide(session, request, actor, confirmed=True)
            session.commit()
            done = "deleted" if deleted else "restored"
            console.print(f"Organisation {slug} {done}.")
        else:
            state = "already deleted" if deleted else "not deleted"
            console.print(f"Organisation {slug} is {state}: nothing changed.")


@app.command("delete-org")
def delete_org(
    slug: Annotated[str, typer.Argument(help="The organisation's slug (or id).")],
) -> None:
    """Soft-delete an organisation: everything under it leaves the public
    directory (services, places, pages, API, exports); restorable."""
    _set_organization_deleted(slug, deleted=True)


@app.command("restore-org")
def restore_org(
    slug: Annotated[str, typer.Argument(help="The organisation's slug (or id).")],
) -> None:
    """Bring back a deleted organisation and everything under it."""
    _set_organization_deleted(slug, deleted=False)


@app.command("create-org")
def create_org(
    name: Annotated[str, typer.Argument(help="The organisation's name.")],
    commune: Annotated[
        str, typer.Option(help="INSEE code (or name) of its commune: its territory.")
    ],
    slug: Annotated[
        str | None,
        typer.Option(help="Short name in links (default: from the name); fixed."),
    ] = None,
    siret: Annotated[str | None, typer.Option(help="Its SIRET (14 digits).")] = None,
) -> None:
    """Create an organisation; prints its slug and id (give them to
    create-user --org, create-token --org…)."""
    from api.services.listings.revisions import Actor
    from api.services.onboarding import organizations, queue
    from api.services.places.communes import resolve_commune

    name = name.strip()
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise typer.BadParameter("1 to 200 printable characters", param_hint="NAME")
    if slug is not None and not (
        organizations.SLUG_PATTERN.match(slug) and len(slug) <= 100
    ):
        raise typer.BadParameter(
            "lower-case letters, digits and single hyphens", param_hint="--slug"
        )
    if siret is not None and (problem := organizations.siret_error(siret)):
        raise typer.BadParameter(problem, param_hint="--siret")
    codes = resolve_commune(commune)
    if len(codes) != 1:
        raise typer.BadParameter(f"unknown commune {commune!r}", param_hint="--commune")
    with Session(engine_or_fail()) as session:
        if slug and organizations.find(session, slug, include_deleted=True):
            raise typer.BadParameter(f"{slug!r} is taken", param_hint="--slug")
        organization = queue.create_in_territory(
            session,
            Actor("system", "command line"),
            name,
            codes[0],
            organizations.compact_siret(siret) if siret else None,
            slug,
        )
        session.commit()
        console.print(f"Organisation {organization.name} created.")
        print(f"slug: {organization.slug}")
        print(f"id: {organization.id}")


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="The person's e-mail address.")],
    org: Annotated[str, typer.Option(help="Organisation slug (or id).")],
    role: Annotated[Role, typer.Option(help="Role in the organisation.")],
) -> None:
    """Create a partner account (or change its role) in an organisation."""
    if not EMAIL.match(email):
        raise typer.BadParameter(
            f"{email!r} is not an e-mail address", param_hint="EMAIL"
        )
    with Session(engine_or_fail()) as session:
        organization = organization_or_bad_parameter(session, org)
        password = secrets.token_urlsafe(12)
        user, is_new = add_member(session, email, organization, role, password)
        user.must_change_password = user.must_change_password or is_new
        session.add(user)
        org_name = organization.name
        session.commit()
    console.print(f"{email} is {role.value} of {org_name}.")
    if is_new:
        console.print(f"Temporary password (shown once): {password}")


@app.command("create-token")
def create_token(
    org: Annotated[str, typer.Option(help="Organisation slug (or id).")],
    name: Annotated[str, typer.Option(help="What the token is for.")],
    scope: Annotated[
        list[Scope] | None, typer.Option(help="read and/or write.")
    ] = None,
) -> None:
    """Create a partner API token; it is printed once and only its hash is stored."""
    if not name.strip():
        raise typer.BadParameter("must not be empty", param_hint="--name")
    scopes = [s.value for s in scope] if scope else list(TOKEN_SCOPES)
    with Session(engine_or_fail()) as session:
        organization = organization_or_bad_parameter(session, org)
        issued = issue_token(session, organization, name.strip(), scopes)
        org_name = organization.name
        session.commit()
    console.print(f"Token for {org_name} ({', '.join(scopes)}), shown once:")
    print(issued.secret)


@app.command("create-coordinator")
def create_coordinator(
    email: Annotated[str, typer.Argument(help="The coordinator's e-mail address.")],
    territory: Annotated[str, typer.Option(help="Name of the territory.")],
    commune: Annotated[
        list[str] | None, typer.Option(help="INSEE code of a commune (repeat).")
    ] = None,
    qpv: Annotated[list[str] | None, typer.Option(help="QPV code (repeat).")] = None,
    moderation: Annotated[
        bool, typer.Option(help="Partner changes wait for approval.")
    ] = False,
    superadmin: Annotated[
        bool, typer.Option(help="Set-up account: all rights.")
    ] = False,
) -> None:
    """Create a coordinator scoped to communes and/or QPVs (or a superadmin)."""
    if not EMAIL.match(email):
        raise typer.BadParameter(
            f"{email!r} is not an e-mail address", param_hint="EMAIL"
        )
    if not (commune or qpv or superadmin):
        raise typer.BadParameter("give --commune or --qpv (or --superadmin)")
    with Session(engine_or_fail()) as session:
        password = secrets.token_urlsafe(12)
        user, created = ensure_user(session, email, password)
        user.is_superadmin = user.is_superadmin or superadmin
        user.must_change_password = user.must_change_password or created
        session.add(user)
        if commune or qpv:
            session.add(
                CoordinatorScope(
                    user_id=user.id,
                    name=territory,
                    communes=commune or [],
                    qpv_codes=qpv or [],
                    moderation=moderation,
                )
            )
        session.commit()
    console.print(f"{email} coordinates {territory}.")
    if created:
        console.print(f"Temporary password (shown once): {password}")


@app.command("send-reminders")
def send_reminders(
    months: Annotated[
        int | None, typer.Option(min=1, help="Unconfirmed for this many months.")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of the mails.")] = "fr",
) -> None:
    """Mail partners whose listings were not confirmed for N months (default
    REPERES_REMINDER_MONTHS), with a one-click "still valid" link."""
    settings = get_settings()
    with Session(engine_or_fail()) as session:
        sent = reminders.send_reminders(
            session, settings, months or settings.reminder_months, lang
        )
    console.print(f"{sent} reminder(s) sent.")


class ExportFormat(StrEnum):
    data_inclusion = "data-inclusion"


@app.command("export")
def export(
    directory: Annotated[
        Path, typer.Argument(file_okay=False, help="Folder to write the files in.")
    ],
    format: Annotated[ExportFormat, typer.Option("--format", help="File format.")],
) -> None:
    """Write the public directory as data·inclusion v1 files (structures and
    services, JSON and CSV, with LICENCE.txt) into DIRECTORY."""
    from api.services.exports import data_inclusion, licence

    counts = data_inclusion.write_directory(
        engine_or_fail(), directory, licence.current()
    )
    console.print(
        f"{counts['structures']} structure(s), {counts['services']} service(s) "
        f"written to {directory}."
    )


class ImportFormat(StrEnum):
    data_inclusion = "data-inclusion"
    csv = "csv"


@app.command("import")
def import_(
    path: Annotated[
        Path,
        typer.Argument(
            exists=True,
            help="A data·inclusion folder (structures and services, JSON or "
            "CSV) or file, or a CSV of our template.",
        ),
    ],
    format: Annotated[ImportFormat, typer.Option("--format", help="File format.")],
    source: Annotated[
        str | None,
        typer.Option(
            help="Name of the producer; default: each data·inclusion row's "
            "`source`, or the CSV file's name."
        ),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="The file is the whole source: archive what it lacks."
        ),
    ] = False,
) -> None:
    """Import listings, idempotently by (source, id): changed rows are updated
    with a revision, unchanged rows left alone, rejected rows listed."""
    from api.services.imports import files
    from api.services.imports.runner import Options
    from api.services.listings.revisions import Actor

    actor = Actor("system", f"import {source or path.name}")
    with Session(engine_or_fail()) as session:
        batch = files.read_path(path, format.value, source)  # type: ignore[arg-type]
        total = len(batch.services)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("import", total=total)
            options = Options(
                actor=actor,
                full=full,
                advance=lambda n: progress.advance(task, n),
            )
            if batch.services or batch.organizations:
                summary = files.run(session, batch, options)
                session.commit()
            else:
                summary = files.Summary(rejected=batch.rejected)
    table = Table("outcome", "services", title=f"import {path.name}")
    for name in ("created", "updated", "unchanged", "archived"):
        table.add_row(name, str(getattr(summary, name)))
    table.add_row("rejected", str(len(summary.rejected)))
    console.print(table)
    for rejection in summary.rejected:
        console.print(
            f"[yellow]rejected[/yellow] line {rejection.line}: {rejection.reason}"
        )
    if full and batch.rejected:
        console.print("Rows were rejected: nothing archived.")


@app.command("backup")
def backup_command(
    path: Annotated[Path, typer.Argument(help="File to write (replaced).")],
) -> None:
    """Copy the whole database to PATH while the site runs (SQLite: online
    backup; PostgreSQL: pg_dump, custom format)."""
    from api.services.system.backup import BackupError, backup

    try:
        backup(engine_or_fail(), path, get_settings().pg_bin_dir)
    except BackupError as error:
        fail(str(error))
    console.print(f"Database backed up to {path}.")


@app.command("restore")
def restore_command(
    path: Annotated[Path, typer.Argument(help="A file written by `reperes backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask for confirmation.")
    ] = False,
) -> None:
    """Replace the database's content with the backup at PATH (stop the site
    first; PostgreSQL: all or nothing)."""
    from api.services.system.backup import BackupError, restore

    engine = engine_or_fail()
    if not yes:
        typer.confirm(
            f"Replace everything in {engine.url.render_as_string()} with {path}?",
            abort=True,
        )
    try:
        restore(engine, path, get_settings().pg_bin_dir)
    except BackupError as error:
        fail(str(error))
    console.print(f"Database restored from {path}.")


@app.command("purge-referrals")
def purge_referrals() -> None:
    """Erase the person's data (need, first name, contact, reasons) of referrals
    older than REPERES_REFERRAL_RETENTION_DAYS; the anonymous rows stay for the
    counts. Run it daily."""
    from api.models import utcnow
    from api.services.referrals import purge

    settings = get_settings()
    with Session(engine_or_fail()) as session:
        count = purge.purge(session, utcnow(), settings)
    console.print(
        f"{count} referral(s) purged "
        f"(older than {settings.referral_retention_days} days)."
    )


@app.command("referral-key")
def referral_key() -> None:
    """Print a new key for REPERES_REFERRAL_KEY (put it first, keep the old one
    after a comma, then run `reperes rotate-referral-key`)."""
    from api.services.referrals.crypto import new_key

    typer.echo(new_key())


@app.command("rotate-referral-key")
def rotate_referral_key() -> None:
    """Re-encrypt every referral's personal data under the first key of
    REPERES_REFERRAL_KEY; the old keys can then be removed."""
    from api.services.referrals import crypto, purge

    settings = get_settings()
    with Session(engine_or_fail()) as session:
        try:
            count = purge.rotate(session, settings)
        except crypto.ReferralKeyMissing as error:
            fail(str(error))
    console.print(f"{count} referral(s) re-encrypted under the first key.")
