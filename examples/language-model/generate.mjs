// Generates runs.csv: an isoFLOP study of language models drawn from a known Chinchilla-form law (see README.md).
// Deterministic (seeded); run `node examples/language-model/generate.mjs` to rewrite the file byte for byte.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Epoch AI's replication of Hoffmann et al.'s Approach 3 (Besiroglu et al. 2024): L = E + A/N^α + B/D^β.
const truth = { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 };
// Hoffmann et al.'s nine isoFLOP budgets (FLOPs, C = 6·N·D).
const budgets = [6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21];
// One ladder of model sizes shared by every budget, 0.15 apart in log10 N; each budget trains the sizes within a
// factor 10^0.62 ≈ 4.2 of its compute-optimal N.
const ladder = Array.from({ length: 23 }, (_, k) => 10 ** (7.4 + 0.15 * k));
const noise = 0.005; // log-normal, σ of ln L

const a = truth.beta / (truth.alpha + truth.beta);
const g = ((truth.alpha * truth.A) / (truth.beta * truth.B)) ** (1 / (truth.alpha + truth.beta));
const nOpt = (compute) => g * (compute / 6) ** a;

// mulberry32 and Box–Muller: reproducible without dependencies.
let state = 20240417;
function uniform() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function normal() {
  let u = 0;
  while (u === 0) u = uniform();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

const lines = ['run_id,params,tokens,loss'];
for (const compute of budgets) {
  for (const params of ladder) {
    if (Math.abs(Math.log10(params / nOpt(compute))) > 0.62) continue;
    const n = Math.round(params);
    const tokens = Math.round(compute / (6 * n));
    const loss = (truth.E + truth.A / n ** truth.alpha + truth.B / tokens ** truth.beta) * Math.exp(noise * normal());
    lines.push(`lm_C${compute.toExponential(0).replace('+', '')}_N${n.toExponential(2).replace('+', '')},${n},${tokens},${loss.toFixed(5)}`);
  }
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runs.csv');
fs.writeFileSync(out, lines.join('\n') + '\n');
console.log(`${lines.length - 1} runs → ${out}; true a = β/(α+β) = ${a.toFixed(4)}, b = ${(1 - a).toFixed(4)}`);
