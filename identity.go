package arcsecond

import "github.com/arcsecond-go/arcsecond/subscribe"

// owns reports whether the notification x was sent to one of sub's
// targets. The outbox keys notifications by (subscription ID, activity,
// revision), so a subscription re-created with a deleted one's ID would
// otherwise be shown the old one's deliveries (and their targets).
func owns(sub *subscribe.Subscription, x subscribe.Notification) bool {
	if sub == nil {
		return false
	}
	switch x.Channel {
	case subscribe.ChannelWebhook:
		return sub.Delivery.Webhook != nil && sub.Delivery.Webhook.URL == x.Target
	case subscribe.ChannelEmail:
		return sub.Delivery.Email != nil && sub.Delivery.Email.To == x.Target
	}
	return false
}
