// The default --node-name: this machine's hostname, as the kubelet takes it, made a valid Node name.

/** The hostname lowercased, as the kubelet does, and made a valid DNS-1123 subdomain. */
export function nodeNameFromHostname(hostname: string): string {
  const labels = hostname
    .trim()
    .toLowerCase()
    .split('.')
    .map((l) => l.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, ''))
    .filter((l) => l !== '');
  const name = labels.join('.').slice(0, 253).replace(/[.-]+$/, '');
  return name || 'dabba';
}
