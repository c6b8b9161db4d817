/** The package's single-file ES build exports what its main entry does. */
declare module 'echarts/dist/echarts.esm.min.mjs' {
  export * from 'echarts';
}
