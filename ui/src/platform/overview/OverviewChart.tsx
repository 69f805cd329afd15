// A chart of the overview: only hands its option (made by a tested transform) to ECharts, taken
// piece by piece so the console carries the chart kinds it draws and no others.
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ChartOption } from './transforms';
import { prefersReducedMotion } from '../../components/motion';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export function OverviewChart({
  option,
  height = 280,
  testId,
}: {
  option: ChartOption;
  height?: number;
  testId: string;
}) {
  return (
    <div data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        option={{ animation: !prefersReducedMotion(), ...option }}
        notMerge
        style={{ height }}
      />
    </div>
  );
}
