// A chart of the statistics page: only hands its option (made by a tested transform) to ECharts.
// ECharts is taken piece by piece, so the page carries the chart kinds it draws and no others.
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ChartOption } from './transforms';
import { prefersReducedMotion } from '../../components/motion';

echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export function Chart({
  option,
  height = 280,
  testId,
}: {
  option: ChartOption;
  height?: number;
  testId: string;
}) {
  return (
    <div data-testid={testId} className="owner-chart">
      <ReactEChartsCore
        echarts={echarts}
        option={{ animation: !prefersReducedMotion(), ...option }}
        notMerge
        style={{ height }}
      />
    </div>
  );
}
