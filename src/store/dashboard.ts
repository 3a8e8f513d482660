/** Writing the rendered dashboard: the report stage renders HTML; this file owns putting it on disk. */
import { writeFileAtomic } from '../io/atomic.js';
import { renderDashboard, type DashboardOptions } from '../report/dashboard.js';
import type { DashboardData } from '../report/types.js';

/** Render and write the dashboard to `path` atomically (temp file + rename; parent directory created). */
export async function writeDashboard(
  path: string,
  data: DashboardData,
  opts: DashboardOptions = {},
): Promise<string> {
  const html = renderDashboard(data, opts);
  await writeFileAtomic(path, html);
  return html;
}
