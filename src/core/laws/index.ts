/** The laws by name, a law rebuilt from its spec (with fixed and tied parameters), and log-space data for them. */
import { InputError, UsageError, type SourceLocation } from '../errors';
import { broken2Law, brokenLaw } from './broken';
import { constrainLaw } from './constrained';
import { jointLaw } from './joint';
import { LAW_NAMES, type Law, type LawData, type LawName, type LawSpec } from './law';
import { powerLaw } from './power';
import { saturatingLaw } from './saturating';

const LAWS: Record<LawName, Law> = {
  power: powerLaw,
  saturating: saturatingLaw,
  joint: jointLaw,
  broken: brokenLaw,
  broken2: broken2Law,
};

export function lawByName(name: string): Law {
  if (!(LAW_NAMES as readonly string[]).includes(name))
    throw new UsageError(`--law ${name}: expected one of ${LAW_NAMES.join(', ')}`);
  return LAWS[name as LawName];
}

/** The law a spec describes: the named law, wrapped when parameters are fixed or tied. */
export function lawFromSpec(spec: LawSpec): Law {
  const base = lawByName(spec.name);
  const constrained = Object.keys(spec.fix ?? {}).length > 0 || (spec.tie ?? []).length > 0;
  return constrained ? constrainLaw(base, spec.fix, spec.tie) : base;
}

interface Constraints {
  fix?: Record<string, number>;
  tie?: [string, string][];
}

/**
 * The named law with its fixed and tied parameters: the flags' (they replace the configuration's), else the
 * configuration's, whose mistakes are reported at their place in scaling-lens.json.
 */
export function constrainedLaw(
  name: LawName,
  flags: Constraints,
  config: Constraints & { constraintsAt?: SourceLocation },
): Law {
  if (flags.fix !== undefined || flags.tie !== undefined) return lawFromSpec({ name, fix: flags.fix, tie: flags.tie });
  const base = lawByName(name);
  if (!config.fix && !config.tie) return base;
  try {
    return constrainLaw(base, config.fix, config.tie, { fix: '"fix"', tie: '"tie"' });
  } catch (error) {
    if (error instanceof UsageError && config.constraintsAt) throw new InputError(config.constraintsAt, error.message);
    throw error;
  }
}

/** Log-space data for a law from plain arrays. */
export function lawData(points: { compute: number; error: number; params?: number; samples?: number }[]): LawData {
  const n = points.length;
  const data: LawData = { n, logE: new Float64Array(n), logC: new Float64Array(n) };
  const hasNd = points.every((p) => p.params !== undefined && p.samples !== undefined);
  if (hasNd) {
    data.logN = new Float64Array(n);
    data.logD = new Float64Array(n);
  }
  points.forEach((p, i) => {
    data.logE[i] = Math.log(p.error);
    data.logC[i] = Math.log(p.compute);
    if (hasNd) {
      data.logN![i] = Math.log(p.params!);
      data.logD![i] = Math.log(p.samples!);
    }
  });
  return data;
}

export type { Law, LawData, LawName, LawSpec };
