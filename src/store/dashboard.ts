/** Writing the rendered dashboard: the report stage renders HTML; this file owns putting it on disk. */
import { writeFileAtomic } from '../io/index.js';
import { renderDashboard, type DashboardOptions } from '../report/index.js';
import type { DashboardData } from '../report/index.js';

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
