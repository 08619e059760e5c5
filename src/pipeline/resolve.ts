// Resolving a dvc.yaml's templating (dvc/parsing/__init__.py `DataResolver`): build the
// context (params.yaml + `vars`), expand `foreach`/`matrix` groups into generated stages
// (`build@uk`, `mx@linux-3.8-cfg0`), interpolate every stage definition and the top-level
// sections, and word every failure the way DVC does (`failed to parse 'stages.s.cmd' in …`).

import * as path from "node:path";
import { DvcException } from "../errors.js";
import { pyStr, pyTypeName, type PyValue } from "../util/py.js";
import { YMap, pyValueEqual, type YValue } from "../yaml/model.js";
import {
  CDict,
  CList,
  CValue,
  Context,
  ContextError,
  KeyNotInContext,
  MergeError,
  VarsAlreadyLoaded,
  isNode,
  pyJoin,
  type RValue,
  type VarsDir,
} from "./context.js";
import { ParseError, checkExpression, getMatches, toStr, type ParsingConfig } from "./interpolate.js";
import { MAX_DEPTH, localFs, rawKeyOf, yamlToPy, type ParamsFs } from "./params.js";

export type { ParsingConfig } from "./interpolate.js";

/** A templating failure, already worded for the user. */
export class ResolveError extends DvcException {}

/** A stage name that is not defined (or not generated) in the file. */
export class EntryNotFoundError extends DvcException {}

export interface ResolveOptions {
  /** Absolute path of the dvc.yaml. */
  file: string;
  /** The dvc.yaml path as printed in messages (relative to the cwd), e.g. `dvc.yaml`, `sub/dvc.yaml`. */
  relpath: string;
  /** DVC's `parsing` config (dict unpacking in `cmd`). */
  parsing?: ParsingConfig;
  /** Receives WARNING texts (without the `WARNING: ` prefix). */
  warn?: (msg: string) => void;
  /** Where params/vars files are read from (the workspace by default). */
  fs?: ParamsFs;
}

export interface ResolvedStage {
  /** Stage name; generated names look like `build@uk`. */
  name: string;
  /** The foreach/matrix group a generated stage comes from. */
  group?: string;
  /** The fully interpolated definition (without `vars`/`foreach`/`do`/`matrix`). */
  def: Map<string, PyValue>;
  /** 1-based line of the stage's name in dvc.yaml. */
  line?: number;
  /** The resolved definition differs from what dvc.yaml says (generated, templated or with vars). */
  parametrized: boolean;
}

/** `{stage name: {file: {dotted.key: value}}}` — values from files used while resolving. */
export type TrackedVars = Map<string, Map<string, Map<string, PyValue>>>;

export interface ResolvedPipeline {
  stages: ResolvedStage[];
  tracked: TrackedVars;
  /** Top-level sections, resolved against the global context on demand (like DVC, lazily). */
  metrics(): PyValue[];
  params(): PyValue[];
  plots(): PyValue[];
  datasets(): PyValue[];
  artifacts(): Map<string, PyValue>;
}

const JOIN = "@";
const DEFAULT_PARAMS_FILE = "params.yaml";
/** Most members a single foreach/matrix group may generate (guards against runaway products). */
const MAX_MEMBERS = 1_000_000;

function preamble(msg: string, relpath: string, spacing = " "): string {
  return `failed to parse ${msg} in '${relpath}':${spacing}`;
}

/** dvc `format_and_raise`. */
function formatAndRaise(exc: unknown, msg: string, relpath: string): never {
  const e = exc instanceof Error ? exc : new Error(String(exc));
  const spacing = e instanceof ParseError || e instanceof MergeError || e instanceof VarsAlreadyLoaded ? "\n" : " ";
  throw new ResolveError(preamble(msg, relpath, spacing) + e.message);
}

function isParseOrContext(e: unknown): boolean {
  return e instanceof ParseError || e instanceof ContextError;
}

/** Call `fn`; errors accepted by `test` are re-raised as `failed to parse <msg> in …`. */
function wrap<T>(fn: () => T, test: (e: unknown) => boolean, msg: string, relpath: string): T {
  try {
    return fn();
  } catch (e) {
    if (test(e)) formatAndRaise(e, msg, relpath);
    throw e;
  }
}

/** Apply `f` to every string (mapping keys included) of plain data. */
function forEachString(data: PyValue, f: (s: string) => void, depth = 0): void {
  if (depth > MAX_DEPTH) throw new ContextError("maximum recursion depth exceeded");
  if (typeof data === "string") f(data);
  else if (Array.isArray(data)) for (const v of data) forEachString(v, f, depth + 1);
  else if (data !== null && typeof data === "object") {
    const entries = data instanceof Map ? [...data.entries()] : Object.entries(data);
    for (const [k, v] of entries) {
      if (!(data instanceof Map && rawKeyOf(data, k) !== undefined)) f(k);
      forEachString(v, f, depth + 1);
    }
  }
}

/** dvc `check_interpolations`: no `${}` at all inside `vars`. */
function checkInterpolations(data: PyValue, where: string, relpath: string): void {
  forEachString(data, (s) => {
    if (getMatches(s).length) throw new ResolveError(preamble(`'${where}'`, relpath) + "interpolating is not allowed");
  });
}

/** dvc `check_syntax_errors`: every placeholder of every field must parse. */
function checkSyntaxErrors(definition: Map<string, PyValue>, name: string, relpath: string, where = "stages"): void {
  for (const [key, d] of definition) {
    wrap(() => forEachString(d, checkExpression), (e) => e instanceof ParseError, `'${where}.${name}.${key}'`, relpath);
  }
}

function isMapping(v: unknown): v is Map<string, PyValue> | CDict {
  return v instanceof Map || v instanceof CDict || (v !== null && typeof v === "object" && !Array.isArray(v) && !isNode(v));
}

/** dvc `is_map_or_seq` (strings excluded). */
function isMapOrSeq(v: unknown): boolean {
  return Array.isArray(v) || v instanceof CList || isMapping(v);
}

/** dvc `to_str` of a foreach/matrix value: a node prints with Python `str` (bools `True`). */
function keyStr(v: RValue): string {
  if (v instanceof CValue) return pyStr(v.value);
  if (v instanceof CList || v instanceof CDict) return pyStr(v.value);
  return toStr(v);
}

function mappingEntries(v: Map<string, PyValue> | CDict | { [k: string]: PyValue }): [string, RValue][] {
  if (v instanceof CDict) return [...v.data.entries()];
  if (v instanceof Map) {
    return [...v.entries()].map(([k, x]) => {
      const raw = rawKeyOf(v, k);
      return [raw === undefined ? k : toStr(raw), x as RValue];
    });
  }
  return Object.entries(v) as [string, RValue][];
}

function typeNameOf(v: RValue): string {
  if (v instanceof CValue) return pyTypeName(v.value);
  if (v instanceof CList) return "CtxList";
  if (v instanceof CDict) return "CtxDict";
  return pyTypeName(v);
}

function asMap(v: PyValue | undefined): Map<string, PyValue> {
  return v instanceof Map ? v : new Map();
}

interface EntryDef {
  kind: "entry";
  name: string;
  definition: Map<string, PyValue>;
  line?: number;
}

interface ForeachDef {
  kind: "foreach";
  name: string;
  definition: Map<string, PyValue>;
  line?: number;
  data: PyValue;
  template: Map<string, PyValue>;
  templateChecked?: boolean;
  resolved?: RValue;
  normalized?: Map<string, RValue>;
}

interface MatrixDef {
  kind: "matrix";
  name: string;
  definition: Map<string, PyValue>;
  line?: number;
  data: PyValue;
  template: Map<string, PyValue>;
  templateChecked?: boolean;
  normalized?: Map<string, Map<string, RValue>>;
}

type Definition = EntryDef | ForeachDef | MatrixDef;

/** Guard: anything that is not a DvcException becomes a ResolveError. */
function guarded<T>(relpath: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DvcException) throw e;
    const msg = e instanceof RangeError ? "maximum recursion depth exceeded" : e instanceof Error ? e.message : String(e);
    throw new ResolveError(`failed to parse '${relpath}': ${msg}`);
  }
}

/**
 * The resolver of one dvc.yaml (DVC's DataResolver). Constructing it loads the global context
 * (params.yaml and `vars`); stages are resolved on demand with `resolveOne` or all at once.
 */
export class PipelineResolver {
  readonly relpath: string;
  readonly context: Context;
  readonly trackedVars: TrackedVars = new Map();
  private readonly opts: ResolveOptions;
  private readonly dir: VarsDir;
  private readonly definitions = new Map<string, Definition>();
  private readonly stagesRaw: Map<string, PyValue>;
  private readonly doc: YMap;

  constructor(doc: YMap, opts: ResolveOptions) {
    this.opts = opts;
    this.relpath = opts.relpath;
    this.doc = doc instanceof YMap ? doc : new YMap();
    const relDir = path.posix.dirname(opts.relpath.split(path.sep).join("/"));
    this.dir = { display: relDir === "." ? "" : relDir, real: path.dirname(path.resolve(opts.file)) };
    this.context = new Context(opts.fs ?? localFs);
    this.stagesRaw = new Map();
    guarded(this.relpath, () => this.init());
  }

  private convert(v: YValue | undefined, where: string): PyValue {
    if (v === undefined) return null;
    try {
      return yamlToPy(v);
    } catch (e) {
      if (e instanceof DvcException) throw new ResolveError(preamble(`'${where}'`, this.relpath) + e.message);
      throw e;
    }
  }

  private init(): void {
    const rel = this.relpath;
    const varsRaw = this.convert(this.doc.get("vars"), "vars");
    const vars = Array.isArray(varsRaw) ? varsRaw : [];
    checkInterpolations(vars, "vars", rel);
    wrap(
      () => this.context.loadFromVars(vars, this.dir, { defaultFile: DEFAULT_PARAMS_FILE }),
      (e) => e instanceof ContextError,
      "'vars'",
      rel,
    );
    const stages = this.doc.get("stages");
    if (!(stages instanceof YMap)) return;
    for (const pair of stages.pairs()) {
      const name = pair.key;
      const definition = asMap(this.convert(pair.value, `stages.${name}`));
      this.stagesRaw.set(name, definition);
      const line = pair.line;
      if (definition.has("matrix")) {
        const template = new Map(definition);
        const data = template.get("matrix") ?? null;
        template.delete("matrix");
        this.definitions.set(name, { kind: "matrix", name, definition, line, data, template });
      } else if (definition.has("foreach")) {
        const data = definition.get("foreach") ?? null;
        const template = asMap(definition.get("do"));
        this.definitions.set(name, { kind: "foreach", name, definition, line, data, template });
      } else {
        this.definitions.set(name, { kind: "entry", name, definition, line });
      }
    }
  }

  // ------------------------------------------------------------------ names

  /** All stage names in order, generated ones expanded in place (resolves foreach/matrix data). */
  getKeys(): string[] {
    return guarded(this.relpath, () => {
      const out: string[] = [];
      for (const [name, def] of this.definitions) {
        if (def.kind === "entry") out.push(name);
        else for (const key of this.members(def).keys()) out.push(`${name}${JOIN}${key}`);
      }
      return out;
    });
  }

  /** The name is a stage of this file (a plain stage, or a generated member). */
  hasKey(name: string): boolean {
    return guarded(this.relpath, () => {
      const [group, key] = splitGroupName(name);
      return this.hasGroupAndKey(group, key);
    });
  }

  private hasGroupAndKey(group: string, key: string | undefined): boolean {
    const def = this.definitions.get(group);
    if (!def) return false;
    if (def.kind === "entry") return key === undefined;
    return key !== undefined && this.members(def).has(key);
  }

  private members(def: ForeachDef | MatrixDef): Map<string, unknown> {
    return def.kind === "foreach" ? this.foreachMembers(def) : this.matrixMembers(def);
  }

  // ------------------------------------------------------------------ resolution

  /** Resolve one stage by name (`train`, `build@uk`); EntryNotFoundError when not defined. */
  resolveOne(name: string): ResolvedStage {
    return guarded(this.relpath, () => {
      const [group, key] = splitGroupName(name);
      if (!this.hasGroupAndKey(group, key)) throw new EntryNotFoundError(`Could not find '${name}'`);
      const def = this.definitions.get(group)!;
      if (def.kind === "entry") {
        const resolved = wrap(
          () => this.resolveStage(this.context, def.name, def.definition, false),
          (e) => e instanceof ContextError,
          `stage '${def.name}'`,
          this.relpath,
        );
        return this.result(def.name, resolved, def.line);
      }
      const resolved = def.kind === "foreach" ? this.foreachMember(def, key!) : this.matrixMember(def, key!);
      return { ...this.result(name, resolved, def.line), group: def.name };
    });
  }

  /** Every stage, in dvc.yaml order (DVC's `resolve()`: all names first, then each stage). */
  resolveAll(): ResolvedStage[] {
    return this.getKeys().map((k) => this.resolveOne(k));
  }

  private result(name: string, def: Map<string, PyValue>, line: number | undefined): ResolvedStage {
    const raw = this.stagesRaw.get(name);
    const parametrized = raw === undefined || !pyValueEqual(raw, def);
    const out: ResolvedStage = { name, def, parametrized };
    if (line !== undefined) out.line = line;
    return out;
  }

  /** EntryDefinition.resolve_stage. */
  private resolveStage(context: Context, name: string, definition: Map<string, PyValue>, skipChecks: boolean, where = "stages"): Map<string, PyValue> {
    const rel = this.relpath;
    if (!skipChecks) checkSyntaxErrors(definition, name, rel, where);
    const wdir = this.resolveWdir(context, name, definition.get("wdir"), where);
    const varsRaw = definition.get("vars") ?? [];
    checkInterpolations(varsRaw, `${where}.${name}.vars`, rel);
    const vars = Array.isArray(varsRaw) ? varsRaw : [];
    let ctx = context;
    if (vars.length) ctx = context.clone();
    wrap(() => ctx.loadFromVars(vars, wdir, { stageName: name }), (e) => e instanceof VarsAlreadyLoaded, `'${where}.${name}.vars'`, rel);
    const [resolved, tracked] = ctx.track(() => {
      const out = new Map<string, PyValue>();
      for (const [key, value] of definition) {
        if (key === "vars") continue;
        const v = wrap(
          () => ctx.resolve(value, { skipChecks, key, config: this.opts.parsing }),
          (e) => e instanceof ParseError || e instanceof KeyNotInContext,
          `'${where}.${name}.${key}'`,
          rel,
        );
        out.set(key, v);
      }
      return out;
    });
    this.trackedVars.set(name, tracked);
    return resolved;
  }

  /** EntryDefinition._resolve_wdir: the directory stage vars are relative to. */
  private resolveWdir(context: Context, name: string, wdir: PyValue | undefined, where: string): VarsDir {
    if (wdir === undefined || wdir === null || wdir === "" || wdir === false || wdir === 0n || wdir === 0) return this.dir;
    const text = wrap(
      () => (typeof wdir === "string" ? toStr(context.resolveStr(wdir) as PyValue) : toStr(wdir)),
      isParseOrContext,
      `'${where}.${name}.wdir'`,
      this.relpath,
    );
    return { display: pyJoin(this.dir.display, text), real: path.resolve(this.dir.real, text) };
  }

  // ------------------------------------------------------------------ foreach

  private foreachIterable(def: ForeachDef): RValue {
    if (def.resolved !== undefined) return def.resolved;
    const rel = this.relpath;
    const iterable = wrap(() => this.context.resolve(def.data, { unwrap: false }), isParseOrContext, `'stages.${def.name}.foreach'`, rel);
    if (!isMapOrSeq(iterable)) {
      throw new ResolveError(`failed to resolve 'stages.${def.name}.foreach' in '${rel}': expected list/dictionary, got ${typeNameOf(iterable)}`);
    }
    const inserted = ["item", ...(isMapping(iterable) ? ["key"] : [])];
    this.warnIfOverwriting(inserted, def.name);
    def.resolved = iterable;
    return iterable;
  }

  private foreachMembers(def: ForeachDef): Map<string, RValue> {
    if (def.normalized) return def.normalized;
    const iterable = this.foreachIterable(def);
    const out = new Map<string, RValue>();
    if (isMapping(iterable)) {
      for (const [k, v] of mappingEntries(iterable)) out.set(k, v);
    } else {
      const items: RValue[] = iterable instanceof CList ? iterable.items : (iterable as PyValue[]);
      if (items.length > MAX_MEMBERS) throw new ResolveError(`failed to resolve 'stages.${def.name}.foreach' in '${this.relpath}': too many items`);
      if (items.some(isMapOrSeq)) items.forEach((v, i) => out.set(String(i), v));
      else for (const v of items) out.set(keyStr(v), v);
    }
    def.normalized = out;
    return out;
  }

  private checkedTemplate(def: ForeachDef | MatrixDef): Map<string, PyValue> {
    if (!def.templateChecked) {
      checkSyntaxErrors(def.template, def.name, this.relpath);
      def.templateChecked = true;
    }
    return def.template;
  }

  private foreachMember(def: ForeachDef, key: string): Map<string, PyValue> {
    const members = this.foreachMembers(def);
    if (!members.has(key)) throw new EntryNotFoundError(`Could not find '${key}' in foreach group '${def.name}'`);
    const value = members.get(key)!;
    const temp = new Map<string, RValue>([["item", value]]);
    if (isMapping(this.foreachIterable(def))) temp.set("key", key);
    return this.resolveMember(def, key, temp);
  }

  /** Resolve member `key` of a foreach/matrix group with `item`/`key` set in the context. */
  private resolveMember(def: ForeachDef | MatrixDef, key: string, temp: Map<string, RValue>): Map<string, PyValue> {
    const generated = `${def.name}${JOIN}${key}`;
    return this.context.setTemporarily(temp, true, () => {
      const template = this.checkedTemplate(def);
      return wrap(
        () => this.resolveStage(this.context, generated, template, true),
        (e) => e instanceof ContextError,
        `stage '${generated}'`,
        this.relpath,
      );
    });
  }

  // ------------------------------------------------------------------ matrix

  private matrixMembers(def: MatrixDef): Map<string, Map<string, RValue>> {
    if (def.normalized) return def.normalized;
    const rel = this.relpath;
    const iterable = wrap(() => this.context.resolve(def.data, { unwrap: false }), isParseOrContext, `'stages.${def.name}.matrix'`, rel);
    this.warnIfOverwriting(["key", "item"], def.name);
    if (!isMapping(iterable)) {
      throw new ResolveError(`failed to resolve 'stages.${def.name}.matrix' in '${rel}': expected dictionary, got ${typeNameOf(iterable)}`);
    }
    const dims: [string, RValue[]][] = [];
    let total = 1;
    for (const [dim, v] of mappingEntries(iterable)) {
      let values: RValue[];
      if (Array.isArray(v)) values = v;
      else if (v instanceof CList) values = v.items;
      else if (typeof v === "string") values = Array.from(v);
      else if (v instanceof CDict) values = [...v.data.keys()];
      else if (isMapping(v)) values = mappingEntries(v).map(([k]) => k);
      else {
        const typ = v instanceof CValue ? "Value" : pyTypeName(v as PyValue);
        throw new ResolveError(`failed to resolve 'stages.${def.name}.matrix' in '${rel}': '${typ}' object is not iterable`);
      }
      total *= values.length;
      if (total > MAX_MEMBERS) throw new ResolveError(`failed to resolve 'stages.${def.name}.matrix' in '${rel}': too many combinations`);
      dims.push([dim, values]);
    }
    const out = new Map<string, Map<string, RValue>>();
    if (total > 0) {
      const idx = dims.map(() => 0);
      for (;;) {
        const d = new Map<string, RValue>();
        const fragments: string[] = [];
        dims.forEach(([dim, values], n) => {
          const v = values[idx[n]];
          d.set(dim, v);
          fragments.push(isMapOrSeq(v) ? `${dim}${idx[n]}` : keyStr(v));
        });
        out.set(fragments.join("-"), d);
        // odometer: the last dimension varies fastest
        let n = dims.length - 1;
        while (n >= 0 && ++idx[n] >= dims[n][1].length) idx[n--] = 0;
        if (n < 0) break;
      }
    }
    def.normalized = out;
    return out;
  }

  private matrixMember(def: MatrixDef, key: string): Map<string, PyValue> {
    const members = this.matrixMembers(def);
    if (!members.has(key)) throw new EntryNotFoundError(`Could not find '${key}' in matrix group '${def.name}'`);
    const value = members.get(key)!;
    const temp = new Map<string, RValue>([
      ["key", key],
      ["item", value as unknown as PyValue],
    ]);
    return this.resolveMember(def, key, temp);
  }

  private warnIfOverwriting(keys: string[], name: string): void {
    const warnFor = keys.filter((k) => this.context.has(k));
    if (warnFor.length && this.opts.warn) {
      const verb = warnFor.length === 1 ? "is" : "are";
      this.opts.warn(`${warnFor.join(" and ")} ${verb} already specified, will be overwritten for stages generated from '${name}'`);
    }
  }

  // ------------------------------------------------------------------ top-level sections

  private topDefinition(where: string, name: string, definition: PyValue): PyValue {
    return wrap(
      () => {
        forEachString(definition, checkExpression);
        return this.context.resolve(definition);
      },
      isParseOrContext,
      `'${where}.${name}'`,
      this.relpath,
    );
  }

  private topList(section: string): PyValue[] {
    return guarded(this.relpath, () => {
      const data = this.convert(this.doc.get(section), section);
      if (!Array.isArray(data)) return [];
      return data.map((d, i) => this.topDefinition(section, String(i), d));
    });
  }

  resolveMetrics(): PyValue[] {
    return this.topList("metrics");
  }

  resolveParams(): PyValue[] {
    return this.topList("params");
  }

  resolvePlots(): PyValue[] {
    return this.topList("plots");
  }

  resolveDatasets(): PyValue[] {
    return this.topList("datasets");
  }

  resolveArtifacts(): Map<string, PyValue> {
    return guarded(this.relpath, () => {
      const data = this.convert(this.doc.get("artifacts"), "artifacts");
      const out = new Map<string, PyValue>();
      if (!(data instanceof Map)) return out;
      for (const [rawName, definition] of data) {
        const where = `'artifacts.${rawName}'`;
        const name = wrap(
          () => {
            checkExpression(rawName);
            return this.context.resolve(rawName);
          },
          isParseOrContext,
          where,
          this.relpath,
        );
        if (typeof name !== "string") {
          throw new ResolveError(`failed to resolve 'artifacts.${rawName}' in '${this.relpath}': expected str, got ${pyTypeName(name)}`);
        }
        out.set(name, this.topDefinition("artifacts", rawName, definition));
      }
      return out;
    });
  }
}

/** `name.rsplit("@", 1)`: group and member key (undefined without `@`). */
export function splitGroupName(name: string): [string, string | undefined] {
  const i = name.lastIndexOf(JOIN);
  return i < 0 ? [name, undefined] : [name.slice(0, i), name.slice(i + 1)];
}

/** Resolve a whole dvc.yaml: every stage (generated ones expanded in place) and tracked values. */
export function resolvePipeline(doc: YMap, opts: ResolveOptions): ResolvedPipeline {
  const resolver = new PipelineResolver(doc, opts);
  const stages = resolver.resolveAll();
  return {
    stages,
    tracked: resolver.trackedVars,
    metrics: () => resolver.resolveMetrics(),
    params: () => resolver.resolveParams(),
    plots: () => resolver.resolvePlots(),
    datasets: () => resolver.resolveDatasets(),
    artifacts: () => resolver.resolveArtifacts(),
  };
}
