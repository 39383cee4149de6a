/**
 * The one list of image types Kernel Islands shows. The results panel draws each as an `<img>` with a data URI
 * (its Content-Security-Policy allows `data:` images; Chromium decodes all five); the inline result says `[image]`
 * for exactly these; tool results that carry images (MCP image content) send the bitmap ones. Anything else
 * (`image/bmp`, `image/tiff`, …) is not drawn: the panel falls back to the output's other types.
 */

/** The image types the results panel draws, in its order of preference when an output has several. */
export const DRAWN_IMAGE_TYPES: readonly string[] = [
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
];

/** The drawn types that are bitmaps, base64 in the output (SVG is text): what tool results carry as images. */
export const BITMAP_IMAGE_TYPES: readonly string[] = DRAWN_IMAGE_TYPES.filter((t) => t !== 'image/svg+xml');

/** The first drawn image type in a mime bundle, if any. */
export function drawnImageType(data: Record<string, unknown>): string | undefined {
  return DRAWN_IMAGE_TYPES.find((t) => data[t] !== undefined && data[t] !== null);
}
