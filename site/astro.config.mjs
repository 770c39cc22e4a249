// The module-6 site: Starlight gives the sidebar, search, dark mode and accessible defaults.
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';

export default defineConfig({
  site: 'https://tracing-dojo.example',
  integrations: [
    starlight({
      title: 'Tracing Dojo · Module 6',
      description: 'Brown Belt module 6: Distributed Tracing & Request Flow Analysis',
      customCss: ['./src/styles/site.css'],
      // Wrapped lines: a code block that scrolls sideways is a region keyboard users cannot reach.
      expressiveCode: { defaultProps: { wrap: true } },
      sidebar: [
        { label: 'Module overview', link: '/' },
        {
          label: 'Theory',
          items: [
            'theory/what-is-tracing',
            'theory/anatomy-of-a-trace',
            'theory/context-propagation',
            'theory/opentelemetry',
            'theory/sampling',
            'theory/tempo-and-traceql',
            'theory/correlation',
            'theory/scrubbing',
          ],
        },
        {
          label: 'Labs',
          items: [
            'labs/lab-0-setup',
            'labs/lab-1-instrument',
            'labs/lab-2-traceql',
            'labs/lab-3-troubleshooting',
            'labs/lab-4-dora',
          ],
        },
        {
          label: 'Assessment',
          items: ['assessment/quiz', 'assessment/practical', 'assessment/broken-trace'],
        },
        {
          label: 'References',
          items: [
            'reference/traceql-cheat-sheet',
            'reference/opentelemetry-quick-reference',
            'reference/troubleshooting-decision-tree',
            'reference/glossary',
            'reference/instructor-guide',
          ],
        },
      ],
    }),
  ],
});
