/**
 * ECharts as one file. `import 'echarts'` loads the library as several hundred ES modules
 * (echarts and zrender ship about 700), which took a fresh process 1 to 2.5 s on the bench
 * machine, more under tsx's loader, at the first page that draws. The package's own single-file
 * ES build, minified (echarts/dist/echarts.esm.min.mjs: the same code, and no 8 MB source map
 * for Node to read when source maps are on) loads in about 150 ms. Its types are the package's
 * (echarts-dist.d.ts). Stack traces from inside ECharts show minified names.
 */
import * as bundled from 'echarts/dist/echarts.esm.min.mjs';

export const echarts = bundled;
