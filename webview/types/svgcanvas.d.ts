/** Types for svgcanvas 2.6 (it ships none): a CanvasRenderingContext2D look-alike that builds an SVG document. */
declare module 'svgcanvas' {
  export class Context {
    constructor(options: {
      width: number;
      height: number;
      document?: Document;
      ctx?: CanvasRenderingContext2D;
      enableMirroring?: boolean;
    });
    width: number;
    height: number;
    getSerializedSvg(fixNamedEntities?: boolean): string;
    getSvg(): SVGSVGElement;
  }
}
