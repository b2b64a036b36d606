/**
 * A left-to-right layered layout of a process graph, for drawing it (the portal's diagram, BPMN
 * diagram interchange). Each node goes to the layer of its longest path from a source; within a layer
 * nodes keep the order they are given in; edges run from the right side of a node to the left side of
 * the next, with a bend when they change row. Pure and deterministic: the same graph always draws the same.
 */

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}
export interface LayoutEdge {
  from: string;
  to: string;
}
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}
export interface Layout {
  nodes: Map<string, Bounds>;
  edges: Array<LayoutEdge & { waypoints: Point[] }>;
  width: number;
  height: number;
}

export const LAYOUT_SPACING = { column: 170, row: 130, margin: 40 } as const;

/** Lays out an acyclic graph; edges naming unknown nodes are left out. */
export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Layout {
  const known = new Map(nodes.map((n, i) => [n.id, i]));
  const usable = edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  const incoming = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const e of usable) incoming.get(e.to)!.push(e.from);

  // longest path from a source, memoised; a cycle (never in a valid definition) is cut where met
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const value = Math.max(-1, ...incoming.get(id)!.map(layerOf)) + 1;
    visiting.delete(id);
    layer.set(id, value);
    return value;
  };
  const rows = new Map<number, string[]>();
  for (const n of nodes) {
    const l = layerOf(n.id);
    rows.set(l, [...(rows.get(l) ?? []), n.id]);
  }

  const { column, row, margin } = LAYOUT_SPACING;
  const bounds = new Map<string, Bounds>();
  let height = 0;
  let width = 0;
  for (const [l, ids] of rows) {
    ids.forEach((id, r) => {
      const n = nodes[known.get(id)!]!;
      // centred on its cell, so tasks, gateways and events line up on one axis per row
      const cx = margin + l * column + column / 2;
      const cy = margin + r * row + row / 2;
      const b = { x: Math.round(cx - n.width / 2), y: Math.round(cy - n.height / 2), width: n.width, height: n.height };
      bounds.set(id, b);
      width = Math.max(width, b.x + b.width + margin);
      height = Math.max(height, b.y + b.height + margin);
    });
  }

  return {
    nodes: bounds,
    edges: usable.map((e) => ({ ...e, waypoints: route(bounds.get(e.from)!, bounds.get(e.to)!) })),
    width,
    height,
  };
}

function route(a: Bounds, b: Bounds): Point[] {
  const start = { x: a.x + a.width, y: a.y + a.height / 2 };
  const end = { x: b.x, y: b.y + b.height / 2 };
  if (start.y === end.y) return [start, end];
  const midX = Math.round((start.x + end.x) / 2);
  return [start, { x: midX, y: start.y }, { x: midX, y: end.y }, end];
}
