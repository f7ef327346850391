import { createInstance, type TFunction } from "i18next";
import { i18nConfig, type Language } from "./config";

/** A translator fixed to one language, for text made on the server (CSV headers, emails). */
const instances = new Map<Language, Promise<TFunction>>();
export function fixedT(language: Language): Promise<TFunction> {
  let t = instances.get(language);
  if (!t) {
    const instance = createInstance();
    t = instance.init({ ...i18nConfig, lng: language }).then(() => instance.t);
    instances.set(language, t);
  }
  return t;
}
