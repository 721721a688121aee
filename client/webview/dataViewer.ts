/**
 * The data viewer's page script: a grid of one page of a DataFrame, read as Arrow IPC. Sorting
 * and filtering are sent to the extension, which has DuckDB do them.
 */
import { tableFromIPC } from 'apache-arrow';
import { cellText } from './arrowFormat.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PageMessage {
  type: 'page';
  arrowIpcBase64: string;
  totalRows: number;
  offset: number;
}

const vscode = acquireVsCodeApi();
const state = {
  offset: 0,
  limit: 100,
  orderBy: [] as { column: string; descending: boolean }[],
  filter: '',
};

const grid = document.getElementById('grid') as HTMLTableElement;
const status = document.getElementById('status') as HTMLElement;
const filter = document.getElementById('filter') as HTMLInputElement;

function request(): void {
  status.textContent = 'Loading…';
  vscode.postMessage({ type: 'load', ...state });
}

function render(message: PageMessage): void {
  const bytes = Uint8Array.from(atob(message.arrowIpcBase64), (c) => c.charCodeAt(0));
  const table = tableFromIPC(bytes);
  const head = document.createElement('tr');
  table.schema.fields.forEach((field) => {
    const th = document.createElement('th');
    const sort = state.orderBy.find((o) => o.column === field.name);
    th.textContent = `${field.name}${sort ? (sort.descending ? ' ▼' : ' ▲') : ''}`;
    th.title = `${field.metadata.get('duckdb.type') ?? String(field.type)} — click to sort`;
    th.addEventListener('click', () => {
      const descending = sort ? !sort.descending : false;
      state.orderBy = [{ column: field.name, descending }];
      state.offset = 0;
      request();
    });
    head.appendChild(th);
  });
  const rows: HTMLTableRowElement[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const tr = document.createElement('tr');
    table.schema.fields.forEach((_f, c) => {
      const td = document.createElement('td');
      td.textContent = cellText(table, c, r);
      tr.appendChild(td);
    });
    rows.push(tr);
  }
  grid.replaceChildren(head, ...rows);
  const last = Math.min(message.offset + table.numRows, message.totalRows);
  const first = message.offset + (table.numRows > 0 ? 1 : 0);
  const count = (n: number): string => n.toLocaleString('en-US');
  status.textContent = `${count(first)}–${count(last)} of ${count(message.totalRows)} rows`;
}

window.addEventListener(
  'message',
  (event: MessageEvent<PageMessage | { type: 'error'; message: string }>) => {
    if (event.data.type === 'page') {
      render(event.data);
    } else {
      status.textContent = event.data.message;
    }
  },
);
document.getElementById('prev')!.addEventListener('click', () => {
  state.offset = Math.max(0, state.offset - state.limit);
  request();
});
document.getElementById('next')!.addEventListener('click', () => {
  state.offset += state.limit;
  request();
});
filter.addEventListener('change', () => {
  state.filter = filter.value;
  state.offset = 0;
  request();
});
request();
