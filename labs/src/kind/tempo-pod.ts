// The pod of a Tempo on kind, the lab's single binary and each component of the class Tempo alike: Tempo's
// image as its own non-root user, ready once /ready answers, its config and data where tempo.yaml says.
import { ports, versions } from '@dojo/course';

export interface TempoContainer {
  name: string;
  args: string[];
  ports: { name: string; containerPort: number }[];
  /** how many readiness checks, 5 s apart, Tempo may fail while it starts */
  readyAfterFailures: number;
  resources: Record<string, unknown>;
}

/**
 * `configMap` holds its tempo.yaml; `data` is the volume for /var/tempo (null: a StatefulSet's volume
 * claim provides it).
 */
export function tempoPod(c: TempoContainer, configMap: string, data: Record<string, unknown> | null) {
  return {
    securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, runAsNonRoot: true },
    containers: [
      {
        name: c.name,
        image: versions.images.tempo,
        args: c.args,
        ports: c.ports,
        readinessProbe: {
          httpGet: { path: '/ready', port: ports.tempoHttp },
          periodSeconds: 5,
          failureThreshold: c.readyAfterFailures,
        },
        resources: c.resources,
        volumeMounts: [
          { name: 'config', mountPath: '/etc/tempo' },
          { name: 'data', mountPath: '/var/tempo' },
        ],
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: configMap } },
      ...(data ? [{ name: 'data', ...data }] : []),
    ],
  };
}
