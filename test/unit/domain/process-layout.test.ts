import { expect } from 'chai';
import { LAYOUT_SPACING, layoutGraph } from '../../../src/domain/process-definition/process-layout.js';

const box = (id: string, size = 40) => ({ id, width: size, height: size });

describe('process layout', () => {
  it('puts each node in the column of its longest path from the start, branches on rows of their own', () => {
    const layout = layoutGraph(
      [box('start'), box('fork'), box('a'), box('b'), box('b2'), box('join'), box('end')],
      [
        { from: 'start', to: 'fork' },
        { from: 'fork', to: 'a' },
        { from: 'fork', to: 'b' },
        { from: 'b', to: 'b2' },
        { from: 'a', to: 'join' },
        { from: 'b2', to: 'join' },
        { from: 'join', to: 'end' },
      ],
    );
    const column = (id: string) => (layout.nodes.get(id)!.x + 20 - LAYOUT_SPACING.margin) / LAYOUT_SPACING.column - 0.5;
    expect(['start', 'fork', 'a', 'b', 'b2', 'join', 'end'].map(column)).to.deep.equal([0, 1, 2, 2, 3, 4, 5]);
    expect(layout.nodes.get('a')!.y, 'a sibling branch on the next row').to.be.lessThan(layout.nodes.get('b')!.y);
    expect(layout.width).to.be.greaterThan(layout.nodes.get('end')!.x);
  });

  it('routes each edge from the right of one node to the left of the next, bending when it changes row', () => {
    const layout = layoutGraph(
      [box('s'), box('a'), box('b')],
      [
        { from: 's', to: 'a' },
        { from: 's', to: 'b' },
        { from: 'x', to: 'a' },
      ],
    );
    expect(
      layout.edges.map((e) => e.to),
      'edges to unknown nodes are left out',
    ).to.deep.equal(['a', 'b']);
    const [straight, bent] = layout.edges;
    expect(straight!.waypoints).to.have.length(2);
    expect(bent!.waypoints).to.have.length(4);
    const s = layout.nodes.get('s')!;
    const b = layout.nodes.get('b')!;
    expect(bent!.waypoints[0]).to.deep.equal({ x: s.x + s.width, y: s.y + s.height / 2 });
    expect(bent!.waypoints.at(-1)).to.deep.equal({ x: b.x, y: b.y + b.height / 2 });
  });

  it('is deterministic and survives a cycle without looping', () => {
    const nodes = [box('a'), box('b')];
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'a' },
    ];
    expect(layoutGraph(nodes, edges)).to.deep.equal(layoutGraph(nodes, edges));
  });
});
