/**
 * Pure rendering for `dvc dag` (no I/O).
 *
 * - ASCII: DVC's dvc/dagascii.py drawing on top of a TypeScript port of
 *   grandalf 0.8's SugiyamaLayout (default settings, `draw()` with N=1.5,
 *   Brandes-Köpf coordinates, `route_with_lines` edge routing).
 * - DOT: what networkx `write_dot` (pydot 4.0.1) prints for the graph DVC
 *   builds in dvc/commands/dag.py `_show_dot`.
 * - Mermaid: dvc/commands/dag.py `_show_mermaid`.
 *
 * Every render function returns exactly the string DVC hands to `ui.write`;
 * the caller prints it followed by a single "\n" (so `--dot` output ends with
 * "}\n\n" on stdout, ASCII and mermaid with one "\n").
 *
 * Ordering conventions (they matter for the layout):
 * - `nodes` must be in the order of DVC's networkx graph (index order:
 *   `repo.index.stages`, or the outs trie order for `--outs`).
 * - `edges` are `[dependency, dependent]`. For each dependent, its
 *   dependencies must appear in the order DVC adds them (stage.deps order,
 *   then overlapping outs order); the relative order of edges of different
 *   dependents does not matter.
 */

export interface DagGraph {
  /** Node labels, in index order. */
  nodes: string[];
  /** `[dependency, dependent]` pairs, i.e. upstream -> downstream. */
  edges: [string, string][];
}

// ---------------------------------------------------------------------------
// Python helpers

/** Python's round() for floats: round half to even. */
function pyRound(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Python >= 3.12 `sum()` of floats (Neumaier compensated summation). For the
 * values grandalf sums (barycenters) it agrees with naive summation except in
 * pathological last-bit cases.
 */
function pySum(xs: number[]): number {
  let s = 0.0;
  let c = 0.0;
  for (const x of xs) {
    const t = s + x;
    if (Math.abs(s) >= Math.abs(x)) c += s - t + x;
    else c += x - t + s;
    s = t;
  }
  if (c !== 0 && Number.isFinite(c)) s += c;
  return s;
}

/** Compare strings by code point like Python's str ordering. */
function cmpCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const na = ia.next();
    const nb = ib.next();
    if (na.done) return nb.done ? 0 : -1;
    if (nb.done) return 1;
    const ca = na.value.codePointAt(0)!;
    const cb = nb.value.codePointAt(0)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
  }
}

function bisectRight(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------
// networkx-like view of the input graph

interface NxGraph {
  nodes: string[];
  index: Map<string, number>;
  /** dependent -> dependencies, in adjacency insertion order (nx `_adj`). */
  adj: Map<string, string[]>;
}

function toNx(g: DagGraph): NxGraph {
  const nodes: string[] = [];
  const index = new Map<string, number>();
  const adj = new Map<string, string[]>();
  const addNode = (n: string): void => {
    if (!index.has(n)) {
      index.set(n, nodes.length);
      nodes.push(n);
      adj.set(n, []);
    }
  };
  for (const n of g.nodes) addNode(n);
  for (const [dep, dependent] of g.edges) {
    // nx add_edge(dependent, dep) adds `dependent` first, then `dep`
    addNode(dependent);
    addNode(dep);
    const succ = adj.get(dependent)!;
    if (!succ.includes(dep)) succ.push(dep);
  }
  return { nodes, index, adj };
}

interface Pipeline {
  nodes: string[];
  /** nx edge orientation: [dependent, dependency], in nx iteration order. */
  edges: [string, string][];
}

/**
 * `dvc.repo.graph.get_pipelines`: weakly connected components in the order
 * of their first node. Inside a component nodes keep graph order (networkx
 * only does that when the component holds at least half of the graph's nodes;
 * otherwise it iterates a hash-ordered set, which is not reproducible).
 */
function getPipelines(nx: NxGraph): Pipeline[] {
  const undirected = new Map<string, string[]>();
  for (const n of nx.nodes) undirected.set(n, []);
  for (const n of nx.nodes) {
    for (const d of nx.adj.get(n)!) {
      undirected.get(n)!.push(d);
      undirected.get(d)!.push(n);
    }
  }
  const seen = new Set<string>();
  const out: Pipeline[] = [];
  for (const start of nx.nodes) {
    if (seen.has(start)) continue;
    const comp = new Set<string>([start]);
    seen.add(start);
    const queue = [start];
    while (queue.length > 0) {
      const cur = queue.shift()!;
      for (const nb of undirected.get(cur)!) {
        if (!seen.has(nb)) {
          seen.add(nb);
          comp.add(nb);
          queue.push(nb);
        }
      }
    }
    const nodes = nx.nodes.filter((n) => comp.has(n));
    const edges: [string, string][] = [];
    for (const u of nodes) for (const v of nx.adj.get(u)!) edges.push([u, v]);
    out.push({ nodes, edges });
  }
  return out;
}

// ---------------------------------------------------------------------------
// grandalf port (graphs.py / layouts.py / routing.py / utils/geometry.py)

interface GEdge {
  /** (tail, head): tail is the dependency (upper), head the dependent. */
  v: [SNode, SNode];
  pts: [number, number][];
}

class SNode {
  readonly dummy: boolean;
  /** vertex data (" label ") for real vertices */
  readonly data: string;
  w: number;
  h: number;
  /** adjacency list (real vertices only), in attach order */
  readonly e: GEdge[] = [];
  /** dummy vertices: the edge's control vertices keyed by rank */
  ctrl: Map<number, SNode> | null = null;
  rank = -1;
  pos = 0;
  bar = 0;
  nvs: { up: SNode[]; down: SNode[] } | null = null;
  // Brandes-Köpf state
  root: SNode = this;
  align: SNode = this;
  sink: SNode = this;
  shift = Infinity;
  X: number | null = null;
  x: number[] = [0, 0, 0, 0];
  xy: [number, number] = [0, 0];

  constructor(dummy: boolean, data: string, w: number, h: number) {
    this.dummy = dummy;
    this.data = data;
    this.w = w;
    this.h = h;
  }

  eIn(): GEdge[] {
    return this.e.filter((e) => e.v[1] === this);
  }

  eOut(): GEdge[] {
    return this.e.filter((e) => e.v[0] === this);
  }

  /** grandalf Vertex.N(dir) / DummyVertex.N(dir) for dir = ±1 */
  N(dir: -1 | 1): SNode[] {
    if (this.dummy) {
      const v = this.ctrl!.get(this.rank + dir);
      return v !== undefined ? [v] : [];
    }
    return dir < 0 ? this.eIn().map((e) => e.v[0]) : this.eOut().map((e) => e.v[1]);
  }

  eWith(x: SNode): GEdge | null {
    for (const e of this.e) if (e.v[0] === x || e.v[1] === x) return e;
    return null;
  }

  /** DummyVertex.inner(dir) */
  inner(dir: -1 | 1): boolean {
    return this.N(dir).some((x) => x.dummy);
  }
}

class Layer {
  nodes: SNode[];
  r = 0;
  xstep = 1.0;
  upper: Layer | null = null;
  lower: Layer | null = null;
  ccount = 0;

  constructor(nodes: SNode[]) {
    this.nodes = nodes;
  }
}

/** Python truthiness of a Layer (a list): None or empty is false. */
function truthy(l: Layer | null): l is Layer {
  return l !== null && l.nodes.length > 0;
}

class Sugiyama {
  private dirvh = 0;
  private dirh: 1 | -1 = 1;
  private dirv: 1 | -1 = -1;
  xspace = 20;
  yspace = 20;
  private dw: number;
  private dh: number;
  readonly layers: Layer[] = [];
  private readonly ctrls = new Map<GEdge, Map<number, SNode>>();
  private conflicts = new Map<SNode, Set<SNode>>();

  constructor(
    readonly sV: SNode[],
    readonly sE: GEdge[],
  ) {
    // utils.geometry.median_wh
    const ws = sV.map((v) => v.w).sort((a, b) => a - b);
    const hs = sV.map((v) => v.h).sort((a, b) => a - b);
    this.dw = ws[Math.floor(ws.length / 2)]!;
    this.dh = hs[Math.floor(hs.length / 2)]!;
  }

  private setDirvh(d: number): void {
    this.dirvh = d;
    const t: [1 | -1, 1 | -1][] = [
      [1, -1],
      [-1, -1],
      [1, 1],
      [-1, 1],
    ];
    [this.dirh, this.dirv] = t[d]!;
  }

  private setDirv(dirv: 1 | -1): void {
    this.setDirvh(dirv + 1 + (1 - this.dirh) / 2);
  }

  private prevlayer(l: Layer): Layer | null {
    return this.dirv === 1 ? l.lower : l.upper;
  }

  private nextlayer(l: Layer): Layer | null {
    return this.dirv === -1 ? l.lower : l.upper;
  }

  // --- init_all ----------------------------------------------------------

  initAll(roots: SNode[]): void {
    // rank_all(roots, optimize=True); the graph is a DAG so no edge is
    // inverted and `r` (extra sources not in roots) is empty.
    const extra = this.sV.filter((x) => x.eIn().length === 0 && !roots.includes(x));
    this.rankInit([...roots, ...extra]);
    for (const v of this.sV) {
      if (v.rank < 0) throw new Error("dvc dag: the pipeline graph has a cycle");
    }
    this.rankOptimize();
    for (const e of this.sE) this.setdummies(e);
    this.layers.forEach((l, r) => this.setupLayer(l, r));
  }

  private rankInit(unranked: SNode[]): void {
    const scan = new Set<GEdge>();
    while (unranked.length > 0) {
      const l: SNode[] = [];
      for (const v of unranked) {
        this.setrank(v);
        for (const e of v.eOut()) scan.add(e);
        for (const x of v.N(1)) {
          if (x.eIn().every((e) => scan.has(e)) && !l.includes(x)) l.push(x);
        }
      }
      unranked = l;
    }
  }

  private setrank(v: SNode): void {
    let r = -1;
    for (const x of v.N(-1)) r = Math.max(r, x.rank);
    r += 1;
    v.rank = r;
    if (r < this.layers.length) this.layers[r]!.nodes.push(v);
    else this.layers.push(new Layer([v]));
  }

  private rankOptimize(): void {
    for (let li = this.layers.length - 1; li >= 0; li--) {
      const l = this.layers[li]!;
      for (const v of l.nodes) {
        for (const x of v.N(-1)) {
          if (x.N(1).every((y) => y.rank >= v.rank)) {
            const from = this.layers[x.rank]!.nodes;
            from.splice(from.indexOf(x), 1);
            x.rank = v.rank - 1;
            this.layers[v.rank - 1]!.nodes.push(x);
          }
        }
      }
    }
  }

  private setdummies(e: GEdge): void {
    let [v0, v1] = e.v;
    let r0 = v0.rank;
    let r1 = v1.rank;
    if (r0 > r1) {
      [v0, v1] = [v1, v0];
      [r0, r1] = [r1, r0];
    }
    if (r1 - r0 > 1) {
      const ctrl = new Map<number, SNode>();
      this.ctrls.set(e, ctrl);
      ctrl.set(r0, v0);
      ctrl.set(r1, v1);
      for (let r = r0 + 1; r < r1; r++) {
        const dv = new SNode(true, "", this.dw, this.dh);
        dv.rank = r;
        dv.ctrl = ctrl;
        ctrl.set(r, dv);
        this.layers[r]!.nodes.push(dv);
      }
    }
  }

  private setupLayer(l: Layer, r: number): void {
    l.r = r;
    if (l.nodes.length > 1) l.xstep = 1.0 / (l.nodes.length - 1);
    l.nodes.forEach((v, i) => {
      v.pos = i;
      v.bar = i * l.xstep;
    });
    if (r > 0) l.upper = this.layers[r - 1]!;
    if (r < this.layers.length - 1) l.lower = this.layers[r + 1]!;
  }

  // --- ordering ----------------------------------------------------------

  draw(n = 1.5): void {
    while (n > 0.5) {
      this.orderingStep(false);
      n -= 1;
    }
    if (n > 0) this.orderingStep(true);
    this.setxy();
    this.drawEdges();
  }

  private orderingStep(oneway: boolean): void {
    this.setDirv(-1);
    let crossings = 0;
    let l: Layer | null = null;
    for (const layer of this.layers) {
      l = layer;
      crossings += this.order(layer);
    }
    if (oneway || crossings === 0) return;
    this.setDirv(1);
    while (truthy(l)) {
      this.order(l);
      l = this.nextlayer(l);
    }
  }

  private order(l: Layer): number {
    let c = this.cc(l);
    if (c > 0) {
      for (const v of l.nodes) v.bar = this.meanvalueattr(l, v);
      const bars = new Map<SNode, number>(l.nodes.map((v) => [v, v.bar]));
      l.nodes.sort((a, b) => bars.get(a)! - bars.get(b)!);
      c = this.reduceCrossings(l);
      l.nodes.forEach((v, i) => {
        v.pos = i;
        v.bar = i * l.xstep;
      });
    }
    l.ccount = c;
    return c;
  }

  private meanvalueattr(l: Layer, v: SNode): number {
    if (!truthy(this.prevlayer(l))) return v.bar;
    const bars = this.neighbors(v).map((x) => x.bar);
    return bars.length === 0 ? v.bar : pySum(bars) / bars.length;
  }

  private medianindex(v: SNode): number[] {
    let pos = this.neighbors(v).map((x) => x.pos);
    const lp = pos.length;
    if (lp === 0) return [];
    pos.sort((a, b) => a - b);
    if (this.dirh === -1) pos = pos.reverse();
    const i = Math.floor((lp - 1) / 2);
    const j = (lp - 1) % 2;
    return j === 0 ? [pos[i]!] : [pos[i]!, pos[i + j]!];
  }

  /** Layer._neighbors: adjacent (possibly dummy) vertices in the dirv layer. */
  private neighbors(v: SNode): SNode[] {
    if (v.nvs === null) {
      const nvs = { up: v.N(-1), down: v.N(1) };
      v.nvs = nvs;
      if (!v.dummy) {
        for (const d of [-1, 1] as const) {
          const tr = v.rank + d;
          const list = d < 0 ? nvs.up : nvs.down;
          v.N(d).forEach((x, i) => {
            if (x.rank === tr) return;
            const e = v.eWith(x)!;
            list[i] = this.ctrls.get(e)!.get(tr)!;
          });
        }
      }
    }
    return this.dirv < 0 ? v.nvs.up : v.nvs.down;
  }

  /** Barth & Mutzel bilayer cross counting by insertion sort. */
  private cc(l: Layer): number {
    const P: number[] = [];
    for (const v of l.nodes) {
      P.push(...this.neighbors(v).map((x) => x.pos).sort((a, b) => a - b));
    }
    const s: number[] = [];
    let count = 0;
    P.forEach((p, i) => {
      const j = bisectRight(s, p);
      if (j < i) count += i - j;
      s.splice(j, 0, p);
    });
    return count;
  }

  private reduceCrossings(l: Layer): number {
    const nodes = l.nodes;
    let X = 0;
    for (let i = 0; i + 1 < nodes.length; i++) {
      const j = i + 1;
      const vi = nodes[i]!;
      const vj = nodes[j]!;
      const ni = this.neighbors(vi).map((v) => v.bar);
      let Xij = 0;
      let Xji = 0;
      for (const nj of this.neighbors(vj).map((v) => v.bar)) {
        const x = ni.filter((nx) => nx > nj).length;
        Xij += x;
        Xji += ni.length - x;
      }
      if (Xji < Xij) {
        nodes[i] = vj;
        nodes[j] = vi;
        X += Xji;
      } else {
        X += Xij;
      }
    }
    return X;
  }

  // --- coordinates (Brandes & Köpf) --------------------------------------

  /** Every node its own root, block and class, before (and after) an alignment pass. */
  private resetAlignment(): void {
    for (const l of this.layers) {
      for (const v of l.nodes) {
        v.root = v;
        v.align = v;
        v.sink = v;
        v.shift = Infinity;
        v.X = null;
      }
    }
  }

  private setxy(): void {
    this.detectAlignmentConflicts();
    this.resetAlignment();
    for (const l of this.layers) for (const v of l.nodes) v.x = [0, 0, 0, 0];
    const curvh = this.dirvh;
    for (let d = 0; d < 4; d++) {
      this.setDirvh(d);
      this.verticalAlignment();
      this.horizontalCompact();
    }
    this.setDirvh(curvh);
    let Y = 0;
    for (const l of this.layers) {
      let dY = -Infinity;
      for (const v of l.nodes) dY = Math.max(dY, v.h / 2.0);
      for (const v of l.nodes) {
        const vx = [...v.x].sort((a, b) => a - b);
        const avgm = (vx[1]! + vx[2]!) / 2.0;
        v.xy = [avgm, Y + dY];
      }
      Y += 2 * dY + this.yspace;
    }
  }

  private isConflict(a: SNode, b: SNode): boolean {
    return this.conflicts.get(a)?.has(b) ?? false;
  }

  private detectAlignmentConflicts(): void {
    const curvh = this.dirvh;
    this.setDirvh(0);
    this.conflicts = new Map();
    for (const L of this.layers) {
      const last = L.nodes.length - 1;
      const prev = this.prevlayer(L);
      if (!truthy(prev)) continue;
      let k0 = 0;
      const k1Init = prev.nodes.length - 1;
      let l = 0;
      L.nodes.forEach((v, l1) => {
        if (!v.dummy) return;
        if (l1 === last || v.inner(-1)) {
          let k1 = k1Init;
          if (v.inner(-1)) {
            const up = v.N(-1);
            k1 = up[up.length - 1]!.pos;
          }
          for (const vl of L.nodes.slice(l, l1 + 1)) {
            for (const vk of this.neighbors(vl)) {
              const k = vk.pos;
              if (k < k0 || k > k1) {
                let s = this.conflicts.get(vk);
                if (!s) this.conflicts.set(vk, (s = new Set()));
                s.add(vl);
              }
            }
          }
          l = l1 + 1;
          k0 = k1;
        }
      });
    }
    this.setDirvh(curvh);
  }

  private layersInDirv(): Layer[] {
    return this.dirv === -1 ? [...this.layers] : [...this.layers].reverse();
  }

  private inDirh(l: Layer): SNode[] {
    return this.dirh === 1 ? [...l.nodes] : [...l.nodes].reverse();
  }

  private verticalAlignment(): void {
    const { dirh, dirv } = this;
    for (const l of this.layersInDirv()) {
      const prev = this.prevlayer(l);
      if (!truthy(prev)) continue;
      let r: number | null = null;
      for (const vk of this.inDirh(l)) {
        for (const m of this.medianindex(vk)) {
          const um = prev.nodes[m]!;
          if (vk.align === vk) {
            const conflict = dirv === 1 ? this.isConflict(vk, um) : this.isConflict(um, vk);
            if (!conflict && (r === null || dirh * r < dirh * m)) {
              um.align = vk;
              vk.root = um.root;
              vk.align = vk.root;
              r = m;
            }
          }
        }
      }
    }
  }

  private horizontalCompact(): void {
    const { dirh } = this;
    const L = this.layersInDirv();
    for (const l of L) {
      for (const v of this.inDirh(l)) if (v.root === v) this.placeBlock(v);
    }
    if (dirh === -1) {
      for (const l of L) {
        for (const v of l.nodes) {
          const x = v.X;
          if (x) v.X = -x;
        }
      }
    }
    for (const l of L) {
      for (const v of this.inDirh(l)) {
        v.x[this.dirvh] = v.root.X!;
        const rs = v.root.sink;
        const s = rs.shift;
        if (s < Infinity) v.x[this.dirvh]! += dirh * s;
      }
    }
    this.resetAlignment();
  }

  private placeBlock(v: SNode): void {
    if (v.X !== null) return;
    v.X = 0.0;
    let w = v;
    for (;;) {
      const j = w.pos - this.dirh;
      const layer = this.layers[w.rank]!;
      if (j >= 0 && j < layer.nodes.length) {
        const wprec = layer.nodes[j]!;
        const delta = this.xspace + (wprec.w + w.w) / 2.0;
        const u = wprec.root;
        this.placeBlock(u);
        if (v.sink === v) v.sink = u.sink;
        if (v.sink !== u.sink) {
          const s = u.sink;
          const newshift = v.X - (u.X! + delta);
          s.shift = Math.min(s.shift, newshift);
        } else {
          v.X = Math.max(v.X, u.X! + delta);
        }
      }
      w = w.align;
      if (w === v) break;
    }
  }

  // --- edges ---------------------------------------------------------------

  private drawEdges(): void {
    for (const e of this.sE) {
      const l: [number, number][] = [];
      const D = this.ctrls.get(e);
      if (D !== undefined) {
        const r0 = e.v[0].rank;
        const r1 = e.v[1].rank;
        if (r0 < r1) for (let r = r0 + 1; r < r1; r++) l.push(D.get(r)!.xy);
        else for (let r = r0 - 1; r > r1; r--) l.push(D.get(r)!.xy);
      }
      l.unshift(e.v[0].xy);
      l.push(e.v[1].xy);
      // routing.route_with_lines
      const tail = intersectR(e.v[0], l[1]!);
      const head = intersectR(e.v[1], l[l.length - 2]!);
      l[0] = tail;
      l[l.length - 1] = head;
      e.pts = l;
    }
  }
}

function intersect2lines(
  [x1, y1]: [number, number],
  [x2, y2]: [number, number],
  [x3, y3]: [number, number],
  [x4, y4]: [number, number],
): [number, number] | null {
  const b0 = x2 - x1;
  const b1 = y2 - y1;
  const d0 = x4 - x3;
  const d1 = y4 - y3;
  const det = b0 * d1 - b1 * d0;
  if (det === 0) return null;
  const c0 = x3 - x1;
  const c1 = y3 - y1;
  let t = (c0 * b1 - c1 * b0) / det;
  if (t < 0.0 || t > 1.0) return null;
  t = (c0 * d1 - c1 * d0) / det;
  if (t < 0.0 || t > 1.0) return null;
  return [x1 + t * b0, y1 + t * b1];
}

/** utils.geometry.intersectR: where the center->topt line leaves the box. */
function intersectR(view: SNode, topt: [number, number]): [number, number] {
  const x2 = topt[0] - view.xy[0];
  const y2 = topt[1] - view.xy[1];
  const bbx2 = Math.floor(view.w / 2);
  const bbx1 = -bbx2;
  const bby2 = Math.floor(view.h / 2);
  const bby1 = -bby2;
  const o: [number, number] = [0, 0];
  const p: [number, number] = [x2, y2];
  const segs: [[number, number], [number, number]][] = [
    [
      [bbx1, bby1],
      [bbx2, bby1],
    ],
    [
      [bbx2, bby1],
      [bbx2, bby2],
    ],
    [
      [bbx1, bby2],
      [bbx2, bby2],
    ],
    [
      [bbx1, bby2],
      [bbx1, bby1],
    ],
  ];
  for (const [a, b] of segs) {
    const xy = intersect2lines(o, p, a, b);
    if (xy !== null) return [xy[0] + view.xy[0], xy[1] + view.xy[1]];
  }
  throw new Error("dvc dag: no intersection found (point inside box)");
}

// ---------------------------------------------------------------------------
// dvc/dagascii.py

const VERTEX_HEIGHT = 3;

class AsciiCanvas {
  private readonly canvas: string[][];

  constructor(
    readonly cols: number,
    readonly lines: number,
  ) {
    this.canvas = Array.from({ length: lines }, () => new Array<string>(cols).fill(" "));
  }

  draw(): string {
    return this.canvas.map((l) => l.join("")).join("\n");
  }

  point(x: number, y: number, char: string): void {
    // DVC asserts these bounds; never triggered by grandalf layouts.
    if (x < 0 || x >= this.cols || y < 0 || y >= this.lines) return;
    this.canvas[y]![x] = char;
  }

  line(x0: number, y0: number, x1: number, y1: number, char: string): void {
    if (x0 > x1) {
      [x0, x1] = [x1, x0];
      [y0, y1] = [y1, y0];
    }
    const dx = x1 - x0;
    const dy = y1 - y0;
    if (dx === 0 && dy === 0) {
      this.point(x0, y0, char);
    } else if (Math.abs(dx) >= Math.abs(dy)) {
      for (let x = x0; x <= x1; x++) {
        const y = dx === 0 ? y0 : y0 + pyRound(((x - x0) * dy) / dx);
        this.point(x, y, char);
      }
    } else if (y0 < y1) {
      for (let y = y0; y <= y1; y++) {
        const x = dy === 0 ? x0 : x0 + pyRound(((y - y0) * dx) / dy);
        this.point(x, y, char);
      }
    } else {
      for (let y = y1; y <= y0; y++) {
        const x = dy === 0 ? x0 : x1 + pyRound(((y - y1) * dx) / dy);
        this.point(x, y, char);
      }
    }
  }

  text(x: number, y: number, text: string): void {
    Array.from(text).forEach((ch, i) => this.point(x + i, y, ch));
  }

  box(x0: number, y0: number, width: number, height: number): void {
    width -= 1;
    height -= 1;
    for (let x = x0; x < x0 + width; x++) {
      this.point(x, y0, "-");
      this.point(x, y0 + height, "-");
    }
    for (let y = y0; y < y0 + height; y++) {
      this.point(x0, y, "|");
      this.point(x0 + width, y, "|");
    }
    this.point(x0, y0, "+");
    this.point(x0 + width, y0, "+");
    this.point(x0, y0 + height, "+");
    this.point(x0 + width, y0 + height, "+");
  }
}

/**
 * dagascii._build_sugiyama_layout + grandalf Graph construction.
 * `edges` are in nx orientation: [dependent, dependency].
 */
function buildLayout(vertices: string[], edges: [string, string][]): Sugiyama {
  const vmap = new Map<string, SNode>();
  for (const name of vertices) {
    const data = ` ${name} `;
    vmap.set(name, new SNode(false, data, Array.from(data).length + 2, VERTEX_HEIGHT));
  }
  const gedges: GEdge[] = edges.map(([s, e]) => ({ v: [vmap.get(e)!, vmap.get(s)!], pts: [] }));
  const V = [...vmap.values()];

  // grandalf.graphs.Graph.__init__: union-find of components with Posets.
  const comp = new Map<SNode, SNode[]>();
  for (const v of V) comp.set(v, [v]);
  const CV: SNode[][] = V.map((v) => comp.get(v)!);
  for (const ge of gedges) {
    const [x, y] = ge.v;
    if (!x.e.includes(ge)) x.e.push(ge);
    if (!y.e.includes(ge)) y.e.push(ge);
    const cx = comp.get(x)!;
    const cy = comp.get(y)!;
    if (cx !== cy) {
      for (const z of cy) if (!cx.includes(z)) cx.push(z);
      CV.splice(CV.indexOf(cy), 1);
      for (const z of cy) comp.set(z, cx);
    }
  }
  // graph.C[0]. Its edge Poset is filled from a Python set() of Edge objects,
  // whose iteration order depends on memory addresses; we use the order the
  // edges were collected in (vertex order, then each vertex's edge list).
  const sV = CV[0]!;
  const sE: GEdge[] = [];
  if (sV.length > 1) {
    const seen = new Set<GEdge>();
    for (const v of sV) {
      for (const ge of v.e) {
        if (!seen.has(ge)) {
          seen.add(ge);
          sE.push(ge);
        }
      }
    }
  }
  const minw = Math.min(...sV.map((v) => v.w));
  const sug = new Sugiyama(sV, sE);
  const roots = sV.filter((v) => v.eIn().length === 0);
  sug.initAll(roots);
  sug.yspace = VERTEX_HEIGHT;
  sug.xspace = minw;
  sug.draw();
  return sug;
}

/** dagascii.draw for one pipeline (edges in nx orientation). */
function drawPipeline(vertices: string[], edges: [string, string][]): string {
  const sug = buildLayout(vertices, edges);
  const Xs: number[] = [];
  const Ys: number[] = [];
  for (const v of sug.sV) {
    Xs.push(v.xy[0] - v.w / 2.0);
    Xs.push(v.xy[0] + v.w / 2.0);
    Ys.push(v.xy[1]);
    Ys.push(v.xy[1] + v.h);
  }
  for (const e of sug.sE) {
    for (const [x, y] of e.pts) {
      Xs.push(x);
      Ys.push(y);
    }
  }
  const minx = Math.min(...Xs);
  const miny = Math.min(...Ys);
  const maxx = Math.max(...Xs);
  const maxy = Math.max(...Ys);
  const cols = Math.ceil(Math.ceil(maxx) - Math.floor(minx)) + 1;
  const lines = pyRound(maxy - miny);
  const canvas = new AsciiCanvas(cols, lines);

  for (const e of sug.sE) {
    for (let i = 1; i < e.pts.length; i++) {
      const start = e.pts[i - 1]!;
      const end = e.pts[i]!;
      canvas.line(
        pyRound(start[0] - minx),
        pyRound(start[1] - miny),
        pyRound(end[0] - minx),
        pyRound(end[1] - miny),
        "*",
      );
    }
  }
  for (const v of sug.sV) {
    const x = v.xy[0] - v.w / 2.0;
    const y = v.xy[1];
    canvas.box(pyRound(x - minx), pyRound(y - miny), v.w, v.h);
    canvas.text(pyRound(x - minx) + 1, pyRound(y - miny) + 1, v.data);
  }
  return canvas.draw();
}

// ---------------------------------------------------------------------------
// public API

/** `dvc dag` default output (`_show_ascii`): pipelines joined by "\n". */
export function renderAscii(g: DagGraph): string {
  const nx = toNx(g);
  return getPipelines(nx)
    .map((p) => drawPipeline(p.nodes, p.edges))
    .join("\n");
}

/** `dvc dag --mermaid` / `--md` (`_show_mermaid`). */
export function renderMermaid(g: DagGraph, opts: { markdown?: boolean } = {}): string {
  const nx = toNx(g);
  let graph = "flowchart TD";
  let total = 0;
  for (const p of getPipelines(nx)) {
    const ids = new Map<string, string>();
    const nodes = [...p.nodes].sort(cmpCodePoints);
    for (const n of nodes) {
      total += 1;
      const id = `node${total}`;
      graph += `\n\t${id}["${n}"]`;
      ids.set(n, id);
    }
    const edges = p.edges
      .map(([dependent, dep]) => [dep, dependent] as const)
      .sort((x, y) => cmpCodePoints(x[0], y[0]) || cmpCodePoints(x[1], y[1]));
    for (const [a, b] of edges) graph += `\n\t${ids.get(a)}-->${ids.get(b)}`;
  }
  return opts.markdown ? "```mermaid\n" + graph + "\n```" : graph;
}

// --- pydot quoting (pydot 4.0.1 core.py) ----------------------------------

const DOT_KEYWORDS = ["graph", "subgraph", "digraph", "node", "edge", "strict"];

function makeQuoted(s: string): string {
  return `"${s.replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
}

function isDigitStr(s: string): boolean {
  return s.length > 0 && /^\p{Nd}+$/u.test(s);
}

function isAlnumStr(s: string): boolean {
  return s.length > 0 && /^[\p{L}\p{N}]+$/u.test(s);
}

function anyNeedsQuotes(s: string): boolean | null {
  if (isDigitStr(s)) return false;
  if (isAlnumStr(s)) return /^\p{N}/u.test(s);
  const dblQuoted = /^"[\s\S]*"$/.test(s);
  const html = /^<[\s\S]*>$/.test(s);
  const high = Array.from(s).some((c) => c.codePointAt(0)! > 0x7f || c.codePointAt(0) === 0);
  if (high && !dblQuoted && !html) return true;
  if (/^([0-9]+\.?[0-9]*|[0-9]*\.[0-9]+)$/.test(s) || dblQuoted || html) return false;
  return null;
}

function idNeedsQuotes(s: string): boolean {
  if (DOT_KEYWORDS.includes(s.toLowerCase())) return false;
  const any = anyNeedsQuotes(s);
  if (any !== null) return any;
  if (/^[_a-zA-Z][a-zA-Z0-9_]*$/.test(s)) return false;
  if (/^[_a-zA-Z][a-zA-Z0-9_:"]*[a-zA-Z0-9_"]+$/.test(s)) return false;
  const m = /^([^:]*):([^:]*)$/.exec(s);
  if (m) return idNeedsQuotes(m[1]!) || idNeedsQuotes(m[2]!);
  return true;
}

function quoteIdIfNecessary(s: string, unquoted: string[] = []): string {
  if (!s) return s;
  if (unquoted.includes(s.toLowerCase())) return s;
  if (DOT_KEYWORDS.includes(s.toLowerCase())) return makeQuoted(s);
  return idNeedsQuotes(s) ? makeQuoted(s) : s;
}

function parseNodeRef(ref: string): string {
  if (ref.startsWith('"') && ref.endsWith('"')) return ref;
  const idx = ref.lastIndexOf(":");
  if (idx > 0 && ref[0] === '"' && ref[idx - 1] === '"') return ref;
  if (idx > 0) return quoteIdIfNecessary(ref.slice(0, idx)) + ":" + quoteIdIfNecessary(ref.slice(idx + 1));
  return quoteIdIfNecessary(ref);
}

/** dvc/commands/dag.py `_quote_label` */
function quoteLabel(label: string): string {
  if (label[0] !== '"' && label[label.length - 1] !== '"') return `"${label}"`;
  return label;
}

function dotNode(name: string): string {
  // pydot.Node strips a ":port" suffix from names not starting with '"'.
  let n = name;
  if (!n.startsWith('"')) {
    const idx = n.indexOf(":");
    if (idx > 0 && idx + 1 < n.length) n = n.slice(0, idx);
  }
  const q = quoteIdIfNecessary(n, ["graph", "node", "edge"]);
  if (["graph", "node", "edge"].includes(q)) return "";
  return `${q};`;
}

/** Minimal networkx DiGraph (insertion-ordered succ/pred dicts). */
class MiniDiGraph {
  readonly succ = new Map<string, Map<string, true>>();
  readonly pred = new Map<string, Map<string, true>>();

  addNode(n: string): void {
    if (!this.succ.has(n)) {
      this.succ.set(n, new Map());
      this.pred.set(n, new Map());
    }
  }

  addEdge(u: string, v: string): void {
    this.addNode(u);
    this.addNode(v);
    this.succ.get(u)!.set(v, true);
    this.pred.get(v)!.set(u, true);
  }

  removeNode(n: string): void {
    for (const u of this.succ.get(n)!.keys()) this.pred.get(u)!.delete(n);
    this.succ.delete(n);
    for (const u of this.pred.get(n)!.keys()) this.succ.get(u)!.delete(n);
    this.pred.delete(n);
  }

  edges(): [string, string][] {
    const out: [string, string][] = [];
    for (const [u, nbrs] of this.succ) for (const v of nbrs.keys()) out.push([u, v]);
    return out;
  }
}

/** networkx.topological_sort (Kahn generations). */
function topologicalSort(g: MiniDiGraph): string[] {
  const indeg = new Map<string, number>();
  let zero: string[] = [];
  for (const [v, preds] of g.pred) {
    if (preds.size > 0) indeg.set(v, preds.size);
    else zero.push(v);
  }
  const out: string[] = [];
  while (zero.length > 0) {
    const gen = zero;
    zero = [];
    for (const node of gen) {
      for (const child of g.succ.get(node)!.keys()) {
        const d = indeg.get(child)! - 1;
        indeg.set(child, d);
        if (d === 0) {
          zero.push(child);
          indeg.delete(child);
        }
      }
    }
    out.push(...gen);
  }
  if (indeg.size > 0) throw new Error("dvc dag: node labels cannot be quoted for --dot");
  return out;
}

/** networkx.relabel_nodes(G, mapping, copy=False) */
function relabelInPlace(G: MiniDiGraph, mapping: Map<string, string>): void {
  const values = new Set(mapping.values());
  let order: string[];
  if ([...mapping.keys()].some((k) => values.has(k))) {
    const D = new MiniDiGraph();
    for (const [k, v] of mapping) D.addEdge(k, v);
    for (const [k, v] of mapping) {
      if (k === v) {
        D.succ.get(k)!.delete(k);
        D.pred.get(k)!.delete(k);
      }
    }
    order = topologicalSort(D).reverse();
  } else {
    order = [...G.succ.keys()].filter((n) => mapping.has(n));
  }
  for (const old of order) {
    const nw = mapping.get(old);
    if (nw === undefined || !G.succ.has(old)) continue;
    G.addNode(nw);
    if (nw === old) continue;
    const newEdges: [string, string][] = [];
    for (const t of G.succ.get(old)!.keys()) newEdges.push([nw, t === old ? nw : t]);
    for (const s of G.pred.get(old)!.keys()) newEdges.push([s === old ? nw : s, nw]);
    G.removeNode(old);
    for (const [u, v] of newEdges) G.addEdge(u, v);
  }
}

/**
 * `dvc dag --dot` (`_show_dot`): labels are quoted in place
 * (`nx.relabel_nodes(copy=False)`, which reorders adjacency), then
 * `write_dot(graph.reverse())`, i.e. pydot's `to_string()` of a strict
 * digraph with arrows pointing downstream (dependency -> dependent).
 */
export function renderDot(g: DagGraph): string {
  const nx = toNx(g);
  const G = new MiniDiGraph();
  for (const n of nx.nodes) G.addNode(n);
  for (const n of nx.nodes) for (const d of nx.adj.get(n)!) G.addEdge(n, d);
  relabelInPlace(G, new Map(nx.nodes.map((n) => [n, quoteLabel(n)])));
  // DiGraph.reverse(copy=True)
  const R = new MiniDiGraph();
  for (const n of G.succ.keys()) R.addNode(n);
  for (const [u, v] of G.edges()) R.addEdge(v, u);
  let out = "strict digraph {\n";
  for (const n of R.succ.keys()) {
    const line = dotNode(n);
    out += `${line}\n`;
  }
  for (const [u, v] of R.edges()) out += `${parseNodeRef(u)} -> ${parseNodeRef(v)};\n`;
  return out + "}\n";
}
