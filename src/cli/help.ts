/** The CLI's usage lines and per-command help (`scaling-lens fit --help`, `eval --help`). */

export const USAGE = `usage: scaling-lens fit FILE|FOLDER [--metric EXPR] [--direction higher|lower] [--task NAME] [--filter FILTER]...
         [--group COL|none] [--compute EXPR] [--params EXPR] [--samples EXPR] [--law power|saturating|joint|broken|broken2]
         [--fix PARAM=VALUE]... [--tie PARAM=PARAM]... [--frontier all|pareto|binned:K] [--objective ls|huber:DELTA] [--bootstrap N] [--seed S]
         [--holdout FRACTION | --holdout-filter COL<OP>VALUE]
         [--predict compute=X | --predict params=N,samples=D | --predict arch=NAME,samples=D]... [--optimal COMPUTE]...
         [--compare] [--approaches [--isoflop-tolerance LOG10] [--budget COL]] [--forecast [--cut FRACTION] [--planned SAMPLES]]
         [--suggest COMPUTE [--compute-cap C] [--candidates FILE]] [--all-tasks] [--json] [--strict]
       scaling-lens eval --model DIR --data DIR [--out FILE.csv|FILE.tsv|FILE.jsonl] [--batch 64] [--threads 1] [--limit N]
         [--max-pixels 64000000] [--wait 120] [--json]
       scaling-lens append FILE.csv|FILE.tsv|FILE.jsonl KEY=VALUE... | --json '{"KEY": VALUE, ...}' [--wait 120]
       scaling-lens --version | --help | fit --help | eval --help | append --help`;

export const FIT_HELP = `usage: scaling-lens fit FILE|FOLDER [options]

Fits a scaling law E = f(C) (or L(N, D)) to a results file (CSV, TSV, JSON lines, JSON) or a folder of
CLIP_benchmark JSON outputs. Known layouts are recognised; every flag below works on any file and overrides them.

Quantities (a column, or an expression: numbers, columns, + - * / **, ( ), log, log10, exp, sqrt, min, max;
a column name with spaces or symbols in backticks, e.g. '\`Training FLOP\` / (6 * \`Model Size\`)' — in single
quotes, as the shell runs what is in backticks inside double quotes):
  --metric EXPR        the metric; accuracy-like names are turned into E = 1 - value (e.g. --metric "1 - MMLU")
  --direction higher|lower   whether higher or lower values of the metric are better; needed when its name does
                       not say (acc, score, pass@k… are higher; loss, error, ppl… lower)
  --compute EXPR       the compute C (e.g. '\`FLOPs (1E21)\` * 1e21', '6 * params * tokens')
  --params EXPR        parameters N (joint law, compute-optimal allocation)
  --samples EXPR       samples or tokens seen D
Rows:
  --filter FILTER      keep rows where COL=V, COL!=V, COL<V, COL<=V, COL>V, COL>=V, COL=A|B|C (any of);
                       the left side may be an expression ('\`Training FLOP\`>1e19'); several are ANDed
  --task NAME          the layout's task (e.g. imagenet1k, mscoco_captions)
  --group COL|none     fit each value of COL separately, or all rows as one group
Fit:
  --law power|saturating|joint|broken|broken2   --frontier all|pareto|binned:K   --objective ls|huber:DELTA
  --fix PARAM=VALUE    hold a law parameter at a value (e.g. --fix alpha=-0.1 to test a published exponent)
  --tie PARAM=PARAM    constrain two parameters equal (e.g. --tie alpha=beta: L = E + A/N^α + B/D^α)
  --bootstrap N (default 1000)   --seed S
  default frontier: power, saturating, broken: the layout's (binned:5 on the paper's results, all points for
  training logs, else pareto); joint: all runs (it models every (N, D) run)
Held-out check (the law refitted without the held-out runs, scored on them):
  --holdout FRACTION   the top FRACTION of runs by compute (rounded down, at least 1)
  --holdout-filter COL<OP>VALUE   the rows a filter names (OP one of = != < <= > >=)
Output:
  --predict compute=X | params=N,samples=D | arch=NAME,samples=D   (repeatable)
  --optimal COMPUTE    compute-optimal N and D at a budget (repeatable)
Decisions (each adds a section to the report and a field to --json):
  --compare            do the groups scale differently? parameter differences, p-values, where the laws cross
  --approaches         Chinchilla's three approaches to N_opt(C) (--isoflop-tolerance LOG10, --budget COL)
  --forecast           where running jobs of a training log will end (--cut FRACTION, --planned SAMPLES)
  --suggest COMPUTE    which run to train next for the prediction at COMPUTE (--compute-cap C, --candidates FILE)
  --all-tasks          every task of the file at a glance
  --json               the summary as JSON
  --strict             exit 2 without a fit when any row has a bad value (by default such rows are reported on
                       stderr with file:line:column and the other rows are fitted)

Exit codes: 0 a fit was made (rows left out are reported), 2 bad input or nothing could be fitted.`;

export const EVAL_HELP = `usage: scaling-lens eval --model DIR --data DIR [--out FILE.csv|FILE.tsv|FILE.jsonl] [--batch 64] [--threads 1]
         [--limit N] [--max-pixels 64000000] [--wait 120] [--json]

Scores an exported CLIP checkpoint (image_encoder.onnx, text_encoder.onnx, model.json) on an evaluation folder and,
with --out, appends its result row to a results file (atomically, under a lock).
  --model DIR     the model folder
  --data DIR      labels.csv (+ classnames.txt, templates.txt) or one sub-folder per class
  --out FILE      results file to append to (.csv, .tsv or .jsonl)
  --batch N       images per batch (default 64)
  --threads N     onnxruntime intra-op threads (default 1)
  --limit N       evaluate the first N images only
  --max-pixels N  refuse images larger than N pixels, from their header (default 64000000)
  --wait S        how long to wait for another writer's lock on the results file (seconds, default 120)
  --json          print the result row as JSON`;
