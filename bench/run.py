"""City-scale benchmark of Jiceng (issue #7 point 2): one command that prints a table and writes JSON.

Usage: python bench/run.py [--seconds 10] [--communities 10] [--large 1000] [--workers N] [--redis-db 14]
                           [--roster-rows 5000] [--years 2]
                           [--database-url postgres://postgres@127.0.0.1:5432/jiceng_bench]

It drops and recreates the database (default `jiceng_bench`; never point it at real data), flushes the Redis
database --redis-db, migrates, loads data with `jiceng seed --communities N` (or, while that command does not
exist, `jiceng demo --no-serve`: 3 communities, and the size-dependent rows are skipped), starts gunicorn
(installed with `pip install -e '.[prod]'`) with DEBUG off on a free port, and drives it with a load generator
in a separate process (asyncio, raw HTTP/1.1 sockets) at 32 connections. Results go to bench/results/<time>.json.
With --large N above --communities, it then seeds more communities (a second district) up to N and times the
same street dashboard and matter page again and the scan, for the ratio of issue #7 point 2(c). When the data
has no held meeting or open call for opinions, setup makes one through the services.
It exits non-zero only when the harness itself fails, never because a goal is missed. Not part of the tests.

Notes on method: "uncached" public pages come from a second server whose cache is Django's DummyCache
(bench/constant_app.py, BENCH_NO_CACHE=1), so each request renders the page; the constant page is a fixed
body served through the same Django handler and middleware. The bench server sets JICENG_FEEDBACK_PER_HOUR
very high, as all opinions come from one address. Ballot codes beyond the meeting's present participants are
added to its batch directly (same digests as issue_ballots), since casting is what is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CONNECTIONS = 32
PEER_RPS, PEER_VOTES = 150, 35  # OpenSlides 3.3 on this machine (issue #7): motion page, votes/s (upper end)


# Load generator (run in its own process: `run.py --loadgen SPEC`) ---------------------------------------------

async def _one_connection(port: int, requests: list[bytes], shared: dict, deadline: float, out: list) -> None:
    reader = writer = None
    while time.perf_counter() < deadline:
        index = shared["next"]
        if shared["cycle"]:
            request = requests[index % len(requests)]
        elif index < len(requests):
            request = requests[index]
        else:
            shared["exhausted"] = True
            break
        shared["next"] = index + 1
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length, close = 0, False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            await reader.readexactly(length)
            out.append((time.perf_counter() - started, status))
            if close:
                writer.close()
                reader = writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError):
            out.append((time.perf_counter() - started, 0))
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def _request_bytes(method: str, path: str, headers: dict, body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive", "Accept-Language: zh-hans",
             *(f"{k}: {v}" for k, v in headers.items())]
    if body or method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def loadgen(spec: dict) -> dict:
    """Drive `spec["requests"]` at `spec["connections"]` for `spec["seconds"]`; each request is used once
    unless spec["cycle"]. Returns requests/s, p50/p99 in ms and errors (status >= 400 or a broken socket)."""
    requests = [_request_bytes(r["method"], r["path"], r.get("headers", {}), r.get("body", "").encode())
                for r in spec["requests"]]
    shared = {"next": 0, "cycle": spec.get("cycle", True), "exhausted": False}
    out: list[tuple[float, int]] = []

    async def run() -> float:
        started = time.perf_counter()
        deadline = started + spec["seconds"]
        await asyncio.gather(*(_one_connection(spec["port"], requests, shared, deadline, out)
                               for _ in range(spec["connections"])))
        return time.perf_counter() - started

    elapsed = asyncio.run(run())
    latencies = sorted(t for t, _ in out)
    errors = sum(1 for _, status in out if status == 0 or status >= 400)
    statuses: dict[str, int] = {}
    for _, status in out:
        statuses[str(status)] = statuses.get(str(status), 0) + 1

    def pct(p: float) -> float | None:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1) if latencies else None

    return {"requests": len(out), "seconds": round(elapsed, 2), "rps": round(len(out) / elapsed, 1),
            "p50_ms": pct(0.50), "p99_ms": pct(0.99), "errors": errors, "statuses": statuses,
            "ran_out_of_requests": shared["exhausted"]}


# Django steps (run in a subprocess with the bench environment: `run.py --django-step NAME ARGS`) -----------

def step_setup(args: dict) -> dict:
    """Find (or make) what the measurements need; returns their IDs, ballot codes and a staff session."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from jiceng.decisions.models import Matter
    from jiceng.disclosure.models import DisclosureItem
    from jiceng.meetings import ballots
    from jiceng.meetings import services as meetings
    from jiceng.meetings.models import Ballot, Meeting
    from jiceng.orgs.models import Area

    today = timezone.localdate()
    item = DisclosureItem.objects.on_board().filter(community__level=Area.Level.COMMUNITY).order_by("pk").first()
    matter = next((m for m in Matter.objects.filter(solicitation__deadline__gte=today).select_related(
        "solicitation").order_by("pk") if m.solicitation.is_open), None)
    user_model = get_user_model()
    staff = user_model.objects.filter(username="admin").first() or user_model.objects.filter(
        is_superuser=True).first() or user_model.objects.create_superuser("bench-admin", password=None)
    result: dict = {
        "communities": Area.objects.filter(level=Area.Level.COMMUNITY).count(),
        "community_id": item.community_id if item else None, "board": item.board if item else None,
        "item_id": item.pk if item else None, "matter_id": matter.pk if matter else None,
        "street_id": Area.objects.filter(level=Area.Level.STREET).order_by("pk").values_list("pk", flat=True).first(),
        "staff": staff.username if staff else None, "codes": [], "answers": {}, "notes": [],
    }
    if staff is not None:
        client = Client()
        client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
        result["session"] = client.cookies["sessionid"].value
    if matter is None and staff is not None and item is not None:
        matter = _open_call(staff, item.community, today, result["notes"])
        result["matter_id"] = matter.pk if matter else None
    held = list(Meeting.objects.filter(status=Meeting.Status.HELD).order_by("pk")[:20])
    if not held and staff is not None and item is not None:
        held = [m for m in [_held_committee_meeting(staff, item.community, result["notes"])] if m]
    for meeting in held:
        try:
            if not ballots.accepts_ballots(meeting) and ballots.SPECS[meeting.kind].passing is not None:
                meetings.add_item(staff, meeting, title="基准测试议题")  # a pending item to vote on by ballot
            if not ballots.accepts_ballots(meeting):
                continue
            codes = ballots.issue_ballots(staff, meeting)
        except Exception as exc:  # noqa: BLE001  (try the next meeting; say why this one was refused)
            result["notes"].append(f"meeting {meeting.pk}: {type(exc).__name__}")
            continue
        batch = meeting.ballot_batches.first()
        extra = ballots._fresh_codes(max(0, args["codes"] - len(codes)))
        Ballot.objects.bulk_create([Ballot(batch=batch, meeting=meeting, digest=d) for d in extra.values()])
        result["codes"] = codes + list(extra)
        result["answers"] = {line.key: line.choices[0].value for line in ballots.ballot_lines(meeting)}
        result["meeting_id"] = meeting.pk
        break
    return result


def _open_call(staff, community, today, notes: list):
    """A matter with a call for opinions open for a month: seeded matters' calls have all closed."""
    import datetime as dt

    from jiceng.decisions import services as decisions

    try:
        matter = decisions.open_matter(staff, community=community, topic="T4", title="基准测试：小区停车位划线",
                                       summary="征求居民对停车位划线方案的意见。", initiator="社区党组织")
        decisions.open_solicitation(staff, matter, question="是否同意划线方案？",
                                    deadline=today + dt.timedelta(days=30))
    except Exception as exc:  # noqa: BLE001  (report why, measure the rest)
        notes.append(f"open call: {type(exc).__name__}: {exc}")
        return None
    return matter


def _held_committee_meeting(staff, community, notes: list):
    """A party committee meeting held an hour ago, whose items can go to a secret ballot: seeded meetings are
    all closed."""
    import datetime as dt

    from django.utils import timezone

    from jiceng.meetings import services as meetings
    from jiceng.meetings.models import Kind
    from jiceng.orgs.models import Body

    body = Body.objects.filter(area=community, kind=Body.Kind.COMMUNITY_PARTY_ORG).order_by("pk").first()
    held_at = timezone.now() - dt.timedelta(hours=1)
    try:
        meeting = meetings.create_meeting(staff, kind=Kind.PARTY_ORG_COMMITTEE_MEETING, body=body,
                                          title="基准测试会议", scheduled_at=held_at)
        meetings.publish_notice(staff, meeting, published_at=held_at - dt.timedelta(days=5))
        present = list(meeting.attendance.filter(expected=True).values_list("person_id", flat=True))
        meetings.hold(staff, meeting, held_at=held_at, present=present)
    except Exception as exc:  # noqa: BLE001
        notes.append(f"ballot meeting: {type(exc).__name__}: {exc}")
        return None
    return meeting


def step_scan(args: dict) -> dict:
    from jiceng.accountability.scan import run_scan
    from jiceng.orgs.models import Area

    started = time.perf_counter()
    counts = run_scan()
    seconds = time.perf_counter() - started
    communities = Area.objects.filter(level=Area.Level.COMMUNITY).count()
    return {"seconds": round(seconds, 2), "communities": communities, "counts": counts,
            "per_1000_s": round(seconds / communities * 1000, 1) if communities else None}


def step_roster(args: dict) -> dict:
    """Write an .xlsx of `rows` new residents under roster.COLUMNS and import it through roster.run_import."""
    import io
    import random

    from django.contrib.auth import get_user_model
    from openpyxl import Workbook

    from jiceng.orgs import idcard, roster
    from jiceng.orgs.models import Area

    rng = random.Random(7)
    community = Area.objects.filter(level=Area.Level.COMMUNITY).order_by("pk").first()
    buildings = list(Area.objects.active().below(community).filter(level=Area.Level.BUILDING)
                     .select_related("parent")[:50])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(list(roster.COLUMNS.values()))
    for n in range(args["rows"]):
        gender = rng.choice(("male", "female"))
        birth = datetime.date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28))
        building = buildings[n % len(buildings)]
        grid = building.parent.name if building.parent and building.parent.level == Area.Level.GRID else ""
        sheet.append([f"测试{n}", "男" if gender == "male" else "女",
                      idcard.generate(rng, region="410305", birth_date=birth, gender=gender),
                      f"139{rng.randint(0, 99999999):08d}", "群众", community.name, grid, building.name,
                      str(n % 6 + 1), f"{n % 30 + 1:02d}{n % 4 + 1:02d}", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    actor = get_user_model().objects.get(username=args["actor"])
    started = time.perf_counter()
    report = roster.run_import(actor, io.BytesIO(data), community)
    seconds = time.perf_counter() - started
    return {"rows": args["rows"], "created": report.created, "seconds": round(seconds, 2),
            "rows_per_s": round(report.created / seconds, 1), "errors": report.errors[:3],
            "error_count": report.error_count, "bytes": len(data)}


STEPS = {"setup": step_setup, "scan": step_scan, "roster": step_roster}


def django_step(name: str, args: dict) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
    django.setup()
    print("BENCH-RESULT " + json.dumps(STEPS[name](args), default=str))


# The harness ---------------------------------------------------------------------------------------------

def sh(cmd: list, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, check=True, text=True, **kwargs)


def run_step(name: str, args: dict, env: dict) -> dict:
    done = sh([sys.executable, __file__, "--django-step", name, json.dumps(args)], env, capture_output=True)
    line = [x for x in done.stdout.splitlines() if x.startswith("BENCH-RESULT ")][-1]
    return json.loads(line.removeprefix("BENCH-RESULT "))


def run_load(port: int, requests: list[dict], seconds: float, connections: int = CONNECTIONS,
             cycle: bool = True) -> dict:
    spec = {"port": port, "requests": requests, "seconds": seconds, "connections": connections, "cycle": cycle}
    done = subprocess.run([sys.executable, __file__, "--loadgen", "-"], input=json.dumps(spec), text=True,
                          capture_output=True, check=True)
    return json.loads(done.stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def has_command(jiceng: Path, name: str, env: dict) -> bool:
    listing = subprocess.run([jiceng, "help", "--commands"], env=env, capture_output=True, text=True)
    return name in listing.stdout.split()


def fresh_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def load_data(jiceng: Path, env: dict, url: str, communities: int, years: int) -> tuple[str, str]:
    """Seed N communities, or build the demo when `jiceng seed` is missing or fails: (source, why not seed)."""
    sh([jiceng, "migrate", "-v", "0"], env)
    why = "seed not available"
    if has_command(jiceng, "seed", env):
        seeded = subprocess.run([jiceng, "seed", "--communities", str(communities), "--years", str(years)], env=env,
                                capture_output=True, text=True)
        if seeded.returncode == 0:
            return "seed", ""
        why = "seed failed: " + (seeded.stderr.strip().splitlines() or ["?"])[-1][:200]
        print(why, file=sys.stderr)
        fresh_database(url)
        sh([jiceng, "migrate", "-v", "0"], env)
    sh([jiceng, "demo", "--no-serve"], env, stdout=subprocess.DEVNULL)
    return "demo", why


class Server:
    """gunicorn serving bench/constant_app.py (Jiceng plus /bench-constant)."""

    def __init__(self, env: dict, workers: int, extra_env: dict | None = None):
        self.port = free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [gunicorn, "--pythonpath", str(BENCH), "constant_app:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", "60", "--log-level", "warning"],
            env={**env, **(extra_env or {})}, cwd=ROOT)
        # /readyz checks the cache too, which DummyCache (the uncached server) never passes.
        ready = "/healthz" if (extra_env or {}).get("BENCH_NO_CACHE") else "/readyz"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{ready}", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not become ready on {ready} within 60 s")

    def worker_peak_rss_mb(self) -> list[float]:
        peaks = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) != self.proc.pid:
                    continue
                for line in (stat.parent / "status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(round(int(line.split()[1]) / 1024, 1))
            except (OSError, IndexError, ValueError):
                continue
        return sorted(peaks)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def grow_and_remeasure(jiceng: Path, env: dict, args, ids: dict, staff_pages: dict, cookie: dict) -> dict:
    """Seed more communities (a new district) up to --large, then time the same staff pages again and the scan:
    the pages look at one street, so their cost should not grow with the city."""
    sh([jiceng, "seed", "--communities", str(args.large - ids["communities"]), "--years", str(args.years),
        "--no-scan"], env, stdout=subprocess.DEVNULL)
    scan = run_step("scan", {}, env)
    loads = {}
    server = Server(env, args.workers)
    try:
        for name, path in staff_pages.items():
            run_load(server.port, [get(path, **cookie)], 1, connections=1)
            loads[name] = run_load(server.port, [get(path, **cookie)], max(2.0, args.seconds / 2), connections=1)
    finally:
        server.stop()
    return {"communities": scan["communities"], "loads": loads, "scan": scan}


def get(path: str, **headers) -> dict:
    return {"method": "GET", "path": path, "headers": headers}


def row(rows: list, name: str, value, goal: str = "—", met: bool | None = None, detail: dict | None = None) -> None:
    rows.append({"measurement": name, "value": value, "goal": goal,
                 "met": "—" if met is None else ("met" if met else "not met"), "detail": detail or {}})


def fmt_load(r: dict) -> str:
    return f"{r['rps']:.0f} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, {r['errors']} err"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/jiceng_bench")
    parser.add_argument("--redis-db", type=int, default=14, help="flushed at the start")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--communities", type=int, default=10)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--large", type=int, default=1000, help="second size for the dashboard ratio; 0 skips")
    parser.add_argument("--workers", type=int, default=min(5, 2 * (os.cpu_count() or 1) + 1))
    parser.add_argument("--roster-rows", type=int, default=5000)
    parser.add_argument("--loadgen", help=argparse.SUPPRESS)
    parser.add_argument("--django-step", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.loadgen:
        print(json.dumps(loadgen(json.loads(sys.stdin.read()))))
        return 0
    if args.django_step:
        django_step(args.django_step[0], json.loads(args.django_step[1]))
        return 0

    if not Path(sys.executable).with_name("gunicorn").exists():
        print("gunicorn is missing: run  .venv/bin/pip install -e '.[prod]'  and try again", file=sys.stderr)
        return 2
    import redis

    jiceng = Path(sys.executable).with_name("jiceng")
    data_dir = Path(f"/tmp/jiceng-bench-{os.getpid()}")
    data_dir.mkdir()
    cache_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    redis.Redis.from_url(cache_url).flushdb()
    env = {**os.environ, "DATABASE_URL": args.database_url, "JICENG_DATA_DIR": str(data_dir),
           "JICENG_DEBUG": "0", "JICENG_CACHE_URL": cache_url, "JICENG_FEEDBACK_PER_HOUR": "1000000000",
           "JICENG_DB_CONN_MAX_AGE": "60", "JICENG_LOG_LEVEL": "WARNING"}
    env.pop("JICENG_BEHIND_PROXY", None)
    started_at = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    rows: list[dict] = []
    skipped: list[str] = []
    seconds = args.seconds
    try:
        fresh_database(args.database_url)
        t0 = time.perf_counter()
        source, why_not_seed = load_data(jiceng, env, args.database_url, args.communities, args.years)
        load_seconds = round(time.perf_counter() - t0, 1)
        print(f"data: {source} in {load_seconds}s", flush=True)
        ids = run_step("setup", {"codes": int(max(2000, 600 * seconds))}, env)
        print(f"data: {ids['communities']} communities; item {ids['item_id']}, matter {ids['matter_id']}, "
              f"meeting {ids.get('meeting_id')} with {len(ids['codes'])} ballot codes", flush=True)
        if source == "demo":
            skipped.append(f"{why_not_seed}: demo data (3 communities) instead of --communities "
                           f"{args.communities}; the size-dependent rows are marked skipped")

        large: dict = {}
        server = Server(env, args.workers)
        try:
            board = f"/gongkai/{ids['community_id']}/{ids['board']}/"
            item = f"/gongkai/items/{ids['item_id']}/"
            loads: dict[str, dict] = {}
            for name, path in (("constant", "/bench-constant"), ("board_cached", board), ("item_cached", item)):
                run_load(server.port, [get(path)], 1)  # warm up: connections, caches
                loads[name] = run_load(server.port, [get(path)], seconds)
            if ids["codes"]:
                body = json.dumps({"answers": ids["answers"]})
                casts = [{"method": "POST", "path": f"/api/v1/ballots/{c}", "body": body} for c in ids["codes"]]
                loads["ballots"] = run_load(server.port, casts, seconds, cycle=False)
            else:
                skipped.append("ballot casting: no held meeting accepts ballots; notes: " + "; ".join(ids["notes"]))
            if ids["matter_id"]:
                body = json.dumps({"position": "support", "text": "同意，建议尽快实施。"})
                loads["opinions"] = run_load(server.port, [{"method": "POST", "body": body, "path":
                                             f"/api/v1/public/matters/{ids['matter_id']}/opinions"}], seconds)
            else:
                skipped.append("opinion submission: no matter with an open call for opinions")
            cookie = {"Cookie": f"sessionid={ids.get('session', '')}"}
            staff_pages = {"dashboard": f"/accountability/?area={ids['street_id']}"}
            if ids["matter_id"]:
                staff_pages["matter_page"] = f"/matters/{ids['matter_id']}/"
            for name, path in staff_pages.items():
                run_load(server.port, [get(path, **cookie)], 1, connections=1)
                loads[name] = run_load(server.port, [get(path, **cookie)], max(2.0, seconds / 2), connections=1)
            rss = server.worker_peak_rss_mb()
        finally:
            server.stop()

        uncached = Server(env, args.workers, {"BENCH_NO_CACHE": "1"})
        try:
            for name, path in (("board_uncached", board), ("item_uncached", item)):
                run_load(uncached.port, [get(path)], 1)
                loads[name] = run_load(uncached.port, [get(path)], seconds)
            rss += uncached.worker_peak_rss_mb()
        finally:
            uncached.stop()

        scan = run_step("scan", {}, env)
        try:
            roster_result = run_step("roster", {"rows": args.roster_rows, "actor": ids["staff"]}, env)
        except subprocess.CalledProcessError as exc:  # the data may lack what an import needs: report, go on
            reason = (exc.stderr or "").strip().splitlines()[-1:] or ["?"]
            roster_result = {"rows": args.roster_rows, "created": 0, "rows_per_s": 0, "errors": reason}
        if args.large > ids["communities"] and source == "seed":
            large = grow_and_remeasure(jiceng, env, args, ids, staff_pages, cookie)
    except (subprocess.CalledProcessError, RuntimeError, OSError, KeyError, IndexError) as exc:
        print(f"harness error: {exc}", file=sys.stderr)
        if isinstance(exc, subprocess.CalledProcessError) and exc.stderr:
            print(exc.stderr[-3000:], file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    ceiling = loads["constant"]["rps"]
    row(rows, "constant page (ceiling)", fmt_load(loads["constant"]), detail=loads["constant"])
    for name, label in (("board", "public board page"), ("item", "public item page")):
        cached, plain = loads[f"{name}_cached"], loads[f"{name}_uncached"]
        share = cached["rps"] / ceiling
        row(rows, f"{label}, cached", f"{fmt_load(cached)}; {share:.0%} of constant",
            "≥ 50% of constant, p99 < 50 ms, 0 err",
            share >= 0.5 and (cached["p99_ms"] or 1e9) < 50 and cached["errors"] == 0, cached)
        share = plain["rps"] / ceiling
        row(rows, f"{label}, uncached", f"{fmt_load(plain)}; {share:.0%} of constant", "≥ 20% of constant",
            share >= 0.2, plain)
    item_cached = loads["item_cached"]
    row(rows, "item page vs peer motion page (150/s)", f"{item_cached['rps'] / PEER_RPS:.1f}× peer",
        "≥ 10× peer, 0 err", item_cached["rps"] >= 10 * PEER_RPS and item_cached["errors"] == 0)
    if "ballots" in loads:
        b = loads["ballots"]
        note = " (ran out of codes)" if b["ran_out_of_requests"] else ""
        row(rows, "ballot casting", f"{fmt_load(b)}{note}", f"≥ {10 * PEER_VOTES}/s (10× peer), 0 err",
            b["rps"] >= 10 * PEER_VOTES and b["errors"] == 0, b)
    if "opinions" in loads:
        row(rows, "opinion submission", fmt_load(loads["opinions"]), "0 err", loads["opinions"]["errors"] == 0,
            loads["opinions"])
    for name in ("dashboard", "matter_page"):
        if name in loads:
            r = loads[name]
            row(rows, f"{name.replace('_', ' ')} at {ids['communities']} communities (1 conn)",
                f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, {r['errors']} err", "—", None, r)
    if large:
        for name, r in large["loads"].items():
            small = loads[name]
            ratio = r["p50_ms"] / small["p50_ms"] if small["p50_ms"] else None
            row(rows, f"{name.replace('_', ' ')} at {large['communities']} communities (1 conn)",
                f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms; {ratio:.2f}× the p50 at {ids['communities']}",
                "≤ 1.5×", ratio is not None and ratio <= 1.5, r)
    elif args.large:
        why = why_not_seed or f"--large {args.large} is not above --communities"
        skipped.append(f"dashboard/matter page at --large {args.large}: {why}")
        row(rows, f"dashboard at {args.large} ÷ at {ids['communities']}", f"skipped: {why}", "≤ 1.5×")
    for result in [scan] + ([large["scan"]] if large else []):
        row(rows, f"compliance scan per 1,000 communities (at {result['communities']})",
            f"{result['per_1000_s']} s ({result['seconds']} s for {result['communities']})", "≤ 60 s",
            result["per_1000_s"] is not None and result["per_1000_s"] <= 60, result)
    ok_import = roster_result["created"] == roster_result["rows"]
    row(rows, "roster import", f"{roster_result['rows_per_s']:.0f} rows/s ({roster_result['created']} rows)"
        if ok_import else f"refused: {roster_result['errors']}", "≥ 5,000 rows/s",
        ok_import and roster_result["rows_per_s"] >= 5000, roster_result)
    row(rows, "peak RSS per gunicorn worker", f"max {max(rss, default=0)} MB (workers: {rss})", detail={"mb": rss})

    width = max(len(r["measurement"]) for r in rows)
    vwidth = max(len(str(r["value"])) for r in rows)
    print(f"\n{'measurement':<{width}}  {'value':<{vwidth}}  {'goal':<38}  result")
    for r in rows:
        print(f"{r['measurement']:<{width}}  {r['value']!s:<{vwidth}}  {r['goal']:<38}  {r['met']}")
    for note in skipped:
        print(f"skipped: {note}")
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    target = results / f"{started_at}.json"
    target.write_text(json.dumps({
        "started_at": started_at, "data": source, "communities": ids["communities"], "load_seconds": load_seconds,
        "seconds": seconds, "connections": CONNECTIONS, "workers": args.workers, "cpus": os.cpu_count(),
        "rows": rows, "skipped": skipped}, ensure_ascii=False, indent=2, default=str))
    print(f"\nwrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
