import { Button, Text, View } from '@tarojs/components';

export function Loading({ text = '加载中…' }: { text?: string }) {
  return <View className="status">{text}</View>;
}

export function ErrorNotice({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className="status status-error">
      <Text>{message}</Text>
      {onRetry && (
        <Button className="btn btn-plain btn-small" onClick={onRetry}>
          重试
        </Button>
      )}
    </View>
  );
}

export function Empty({ text }: { text: string }) {
  return <View className="status">{text}</View>;
}
