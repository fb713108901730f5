"""Measure how long `jiceng demo --no-serve` takes to build the demo street office (issue #2: < 30 s).

Usage: python bench/demo_build.py [--runs 3]   (uses a fresh SQLite data dir per run; prints JSON)
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    jiceng = Path(sys.executable).with_name("jiceng")
    seconds = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as data_dir:
            env = {**os.environ, "JICENG_DATA_DIR": data_dir}
            env.pop("DATABASE_URL", None)
            subprocess.run([jiceng, "migrate", "-v", "0"], env=env, check=True)
            started = time.perf_counter()
            subprocess.run([jiceng, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
            seconds.append(round(time.perf_counter() - started, 2))
    result = {"benchmark": "demo_build", "runs": seconds, "best_s": min(seconds), "goal_s": 30,
              "met": min(seconds) < 30}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
