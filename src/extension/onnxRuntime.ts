/**
 * Whether this installation can evaluate checkpoints: the platform VSIXes carry onnxruntime-node's native binding
 * for their platform, the universal VSIX none. Checked before forking the eval child, so a missing runtime gets a
 * message instead of a crash; nothing here loads the native module (activation never depends on it).
 */
import fs from 'node:fs';
import path from 'node:path';

export const PLATFORM_TARGETS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];

/** Undefined when evaluation can run here, else why not. */
export function onnxRuntimeUnavailable(extensionPath: string): string | undefined {
  const target = `${process.platform}-${process.arch}`;
  const binding = path.join(
    extensionPath,
    'node_modules',
    'onnxruntime-node',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
    'onnxruntime_binding.node',
  );
  if (fs.existsSync(binding)) return undefined;
  const hint = PLATFORM_TARGETS.includes(target)
    ? `install the ${target} VSIX (scaling-lens-${target}-*.vsix) instead of this one`
    : `onnxruntime-node has no build for ${target}; run \`scaling-lens eval\` on a ${PLATFORM_TARGETS.join(', ')} machine`;
  return `checkpoint evaluation needs onnxruntime, which this installation of Scaling Lens does not include for ${target} (the universal VSIX has none): ${hint}. Fitting, plots and hovers work without it.`;
}
