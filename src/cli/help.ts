/** The CLI's usage lines and per-command help (`scaling-lens fit --help`, `eval --help`). */

export const USAGE = `usage: scaling-lens fit FILE|FOLDER [--metric EXPR] [--task NAME] [--filter FILTER]... [--group COL|none]
         [--compute EXPR] [--params EXPR] [--samples EXPR] [--law power|saturating|joint|broken]
         [--frontier all|pareto|binned:K] [--objective ls|huber:DELTA] [--bootstrap N] [--seed S]
         [--holdout FRACTION] [--predict compute=X | --predict params=N,samples=D | --predict arch=NAME,samples=D]...
         [--optimal COMPUTE]... [--json] [--strict]
       scaling-lens eval --model DIR --data DIR [--out FILE.csv|FILE.jsonl] [--batch 64] [--threads 1] [--limit N] [--json]
       scaling-lens --version | --help | fit --help | eval --help`;

export const FIT_HELP = `usage: scaling-lens fit FILE|FOLDER [options]

Fits a scaling law E = f(C) (or L(N, D)) to a results file (CSV, TSV, JSON lines, JSON) or a folder of
CLIP_benchmark JSON outputs. Known layouts are recognised; every flag below works on any file and overrides them.

Quantities (a column, or an expression: numbers, columns, + - * / **, ( ), log, log10, exp, sqrt, min, max;
a column name with spaces or symbols in backticks, e.g. '\`Training FLOP\` / (6 * \`Model Size\`)' — in single
quotes, as the shell runs what is in backticks inside double quotes):
  --metric EXPR        the metric; accuracy-like names are turned into E = 1 - value (e.g. --metric "1 - MMLU")
  --compute EXPR       the compute C (e.g. '\`FLOPs (1E21)\` * 1e21', '6 * params * tokens')
  --params EXPR        parameters N (joint law, compute-optimal allocation)
  --samples EXPR       samples or tokens seen D
Rows:
  --filter FILTER      keep rows where COL=V, COL!=V, COL<V, COL<=V, COL>V, COL>=V, COL=A|B|C (any of);
                       the left side may be an expression ('\`Training FLOP\`>1e19'); several are ANDed
  --task NAME          the layout's task (e.g. imagenet1k, mscoco_captions)
  --group COL|none     fit each value of COL separately, or all rows as one group
Fit:
  --law power|saturating|joint|broken   --frontier all|pareto|binned:K   --objective ls|huber:DELTA
  --bootstrap N (default 1000)   --seed S   --holdout FRACTION
Output:
  --predict compute=X | params=N,samples=D | arch=NAME,samples=D   (repeatable)
  --optimal COMPUTE    compute-optimal N and D at a budget (repeatable)
  --json               the summary as JSON
  --strict             exit 2 without a fit when any row has a bad value (by default such rows are reported on
                       stderr with file:line:column and the other rows are fitted)

Exit codes: 0 a fit was made (rows left out are reported), 2 bad input or nothing could be fitted.`;

export const EVAL_HELP = `usage: scaling-lens eval --model DIR --data DIR [--out FILE.csv|FILE.jsonl] [--batch 64] [--threads 1] [--limit N] [--json]

Scores an exported CLIP checkpoint (image_encoder.onnx, text_encoder.onnx, model.json) on an evaluation folder and,
with --out, appends its result row to a results file (atomically, under a lock).
  --model DIR     the model folder
  --data DIR      labels.csv (+ classnames.txt, templates.txt) or one sub-folder per class
  --out FILE      results file to append to (.csv or .jsonl)
  --batch N       images per batch (default 64)
  --threads N     onnxruntime intra-op threads (default 1)
  --limit N       evaluate the first N images only
  --json          print the result row as JSON`;
