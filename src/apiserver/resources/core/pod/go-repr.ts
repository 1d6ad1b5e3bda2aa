// Renders API values the way upstream's field errors print them with Go's %#v (label selectors, maps, int-or-strings).
import { GoRepr } from '../../../../machinery/field-errors.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const q = (s: unknown) => JSON.stringify(String(s));

/** `map[string]string{"a":"b", "c":"d"}`, or `map[string]string(nil)` for an absent map. */
export function goStringMapText(m: Json): string {
  if (m == null || typeof m !== 'object') return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${q(k)}:${q(m[k])}`).join(', ')}}`;
}

export const goStringMap = (m: Json) => new GoRepr(goStringMapText(m));

/** `[]string{"a", "b"}`, or `[]string(nil)`. */
export function goStringSliceText(a: Json): string {
  if (!Array.isArray(a)) return '[]string(nil)';
  return `[]string{${a.map(q).join(', ')}}`;
}

/** A metav1.LabelSelector as `v1.LabelSelector{MatchLabels:…, MatchExpressions:…}`. */
export function goLabelSelectorText(sel: Json): string {
  const s = sel && typeof sel === 'object' ? sel : {};
  let exprs = '[]v1.LabelSelectorRequirement(nil)';
  if (Array.isArray(s.matchExpressions)) {
    const items = s.matchExpressions.map(
      (r: Json) =>
        `v1.LabelSelectorRequirement{Key:${q(r?.key ?? '')}, Operator:${q(r?.operator ?? '')}, Values:${goStringSliceText(r?.values)}}`,
    );
    exprs = `[]v1.LabelSelectorRequirement{${items.join(', ')}}`;
  }
  return `v1.LabelSelector{MatchLabels:${goStringMapText(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

export const goLabelSelector = (sel: Json) => new GoRepr(goLabelSelectorText(sel));

/** An intstr.IntOrString held by value, as `intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}`. */
export function goIntOrString(v: Json): GoRepr {
  if (typeof v === 'string') return new GoRepr(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${q(v)}}`);
  const n = typeof v === 'number' ? v : 0;
  return new GoRepr(`intstr.IntOrString{Type:0, IntVal:${n}, StrVal:""}`);
}
