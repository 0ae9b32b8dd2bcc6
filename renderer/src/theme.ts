import { createTheme, type MantineColorsTuple } from '@mantine/core';

// A calm blue-violet, readable on both light and dark backgrounds.
const fleet: MantineColorsTuple = ['#eef3ff', '#dce4f5', '#b9c7e2', '#94a8d0', '#748dc1', '#5f7cb8', '#5474b4', '#44639f', '#39588f', '#2d4b81'];

export const theme = createTheme({
  primaryColor: 'fleet',
  primaryShade: { light: 7, dark: 5 },
  colors: { fleet },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", "Cascadia Mono", "Segoe UI Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace',
  defaultRadius: 'sm',
  cursorType: 'pointer',
  fontSizes: { xs: '0.75rem', sm: '0.8125rem', md: '0.875rem', lg: '1rem', xl: '1.125rem' },
  headings: {
    fontWeight: '600',
    sizes: { h2: { fontSize: '1.25rem', lineHeight: '1.3' }, h3: { fontSize: '1.05rem', lineHeight: '1.35' }, h4: { fontSize: '0.95rem', lineHeight: '1.4' } },
  },
  components: {
    Button: { defaultProps: { size: 'xs' } },
    TextInput: { defaultProps: { size: 'sm' } },
    Tooltip: { defaultProps: { withArrow: true } },
    Modal: { defaultProps: { radius: 'md', overlayProps: { blur: 2, backgroundOpacity: 0.35 } } },
  },
});
