/**
 * The application gallery: the kinds of application an admin can add, one per registered
 * connector (each definition carries its gallery entry). Shared code reads an entry's declared
 * settings, roles and validators; it never branches on which entry it holds.
 */
import { connectorFor, connectorTypes, urlTemplateFor } from '../../connectors/registry.ts';
import type { GalleryDefinition, TargetUrls } from '../../connectors/target-facts.ts';

export type GalleryEntry = GalleryDefinition;

export const gallery: readonly GalleryEntry[] = connectorTypes().flatMap((type) => {
  const entry = connectorFor(type)?.gallery;
  return entry ? [entry] : [];
});

export const galleryEntry = (key: string): GalleryEntry | undefined => gallery.find((e) => e.key === key);

/** Where an application's target lives as this process reaches it (the embedded sandbox under --with-sandbox). */
export function targetUrlOf(entry: GalleryEntry, settings: Record<string, unknown>, targetUrls?: TargetUrls): string {
  return entry.targetUrl(settings, urlTemplateFor(entry.key, targetUrls));
}
