import { ActionIcon, Tooltip } from '@mantine/core';
import { Icon, type IconName } from './Icon.tsx';

const ICON_SIZE = { sm: 14, md: 14, lg: 17 } as const;

/**
 * An icon-only button: the tooltip says what it does, the accessible label also names what it acts
 * on ("Remove source qlm-main"); removing and deleting ones are red.
 */
export function TooltipIconButton({
  icon,
  tooltip,
  label,
  onClick,
  danger = false,
  size = 'sm',
  iconSize = ICON_SIZE[size],
}: {
  icon: IconName;
  tooltip: string;
  label: string;
  onClick: () => void;
  danger?: boolean;
  size?: 'sm' | 'md' | 'lg';
  iconSize?: number;
}) {
  return (
    <Tooltip label={tooltip}>
      <ActionIcon size={size} variant="subtle" color={danger ? 'red' : 'gray'} aria-label={label} onClick={onClick}>
        <Icon name={icon} size={iconSize} />
      </ActionIcon>
    </Tooltip>
  );
}
