import { Text, View } from '@tarojs/components';

export interface MenuEntry {
  title: string;
  description?: string;
  onClick: () => void;
}

/** A list of tappable rows leading to other pages. */
export function Menu({ entries }: { entries: readonly MenuEntry[] }) {
  return (
    <View className="card menu">
      {entries.map((entry) => (
        <View key={entry.title} className="menu-row" onClick={entry.onClick}>
          <View className="menu-text">
            <Text className="menu-title">{entry.title}</Text>
            {entry.description && <Text className="menu-description">{entry.description}</Text>}
          </View>
          <Text className="menu-arrow">›</Text>
        </View>
      ))}
    </View>
  );
}
