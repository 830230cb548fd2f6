import { Text, View } from '@tarojs/components';
import type { Me } from '@baoxue/shared';
import { roleTitle, unitName } from '../utils/labels';

/** Who is signed in: name, role (with position) and unit. */
export function UserCard({ user }: { user: Me }) {
  return (
    <View className="card user-card">
      <View className="avatar">{user.displayName.slice(-2)}</View>
      <View className="user-card-text">
        <Text className="user-name">{user.displayName}</Text>
        <Text className="user-role">{roleTitle(user)}</Text>
        {user.unit && <Text className="user-unit">{unitName(user.unit)}</Text>}
      </View>
    </View>
  );
}
