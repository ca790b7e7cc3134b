// A list that renders only the rows in view (plus a margin), so 100,000 log lines scroll as
// smoothly as 100. Rows have one fixed height; the list scrolls inside its own box.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export function VirtualList<T>(props: {
  items: T[];
  rowHeight: number;
  height: number;
  row: (item: T, index: number) => ComponentChildren;
  label: string;
  onEnd?: () => void;
}) {
  const [top, setTop] = useState(0);
  const { items, rowHeight, height } = props;
  const first = Math.max(0, Math.floor(top / rowHeight) - 10);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + 10);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        class="vrow"
        role="listitem"
        aria-setsize={items.length}
        aria-posinset={i + 1}
        style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }}
        key={i}
      >
        {props.row(items[i] as T, i)}
      </div>,
    );
  }
  return (
    <div
      class="vlist"
      role="region"
      aria-label={props.label}
      tabIndex={0}
      style={{ height: `${height}px` }}
      onScroll={(e) => {
        const el = e.currentTarget;
        setTop(el.scrollTop);
        if (props.onEnd && el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight * 5) props.onEnd();
      }}
    >
      <div role="list" style={{ height: `${items.length * rowHeight}px`, position: 'relative' }}>
        {rows}
      </div>
    </div>
  );
}
