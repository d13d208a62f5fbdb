import { UsageError } from '../errors';
import { jointLaw } from './joint';
import { LAW_NAMES, type Law, type LawData, type LawName } from './law';
import { powerLaw } from './power';
import { saturatingLaw } from './saturating';
import { brokenLaw } from './broken';

const LAWS: Record<LawName, Law> = { power: powerLaw, saturating: saturatingLaw, joint: jointLaw, broken: brokenLaw };

export function lawByName(name: string): Law {
  if (!(LAW_NAMES as readonly string[]).includes(name)) throw new UsageError(`--law ${name}: expected one of ${LAW_NAMES.join(', ')}`);
  return LAWS[name as LawName];
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

export type { Law, LawData, LawName };
