"""pandas baseline for bench/parse.ts: read the same results CSV with pandas.read_csv; prints seconds and peak RSS."""
import json
import resource
import sys
import time

import pandas as pd

path = sys.argv[1]
t0 = time.perf_counter()
frame = pd.read_csv(path)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "rows": len(frame), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
