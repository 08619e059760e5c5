// What this process did that makes it unlike its command's usual run (for bin/dvc's code cache,
// see codeCacheWorthy in src/cli/main.ts): here, YAML files parsed because the parsed-YAML
// cache did not have them (a first run over a new dvc.yaml or dvc.lock).

let yamlCacheMisses = 0;

export function noteYamlCacheMiss(): void {
  yamlCacheMisses++;
}

/** Whether nothing unusual happened so far. */
export function usualRun(): boolean {
  return yamlCacheMisses === 0;
}
