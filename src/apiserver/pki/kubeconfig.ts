// Writes the kubeconfig that points kubectl and the official clients at this cluster (context `dabba`).
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClusterPki } from './certificates.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The kubeconfig as YAML; written by hand since every value is a plain scalar (base64, URLs, names). */
export function kubeconfigYaml(pki: ClusterPki, server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: dabba',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(pki.ca.cert)}`,
    'users:',
    '- name: dabba-admin',
    '  user:',
    `    client-certificate-data: ${b64(pki.admin.cert)}`,
    `    client-key-data: ${b64(pki.admin.key)}`,
    'contexts:',
    '- name: dabba',
    '  context:',
    '    cluster: dabba',
    '    user: dabba-admin',
    '    namespace: default',
    'current-context: dabba',
    'preferences: {}',
    '',
  ].join('\n');
}

export async function writeKubeconfig(path: string, pki: ClusterPki, server: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, kubeconfigYaml(pki, server), { mode: 0o600 });
}
