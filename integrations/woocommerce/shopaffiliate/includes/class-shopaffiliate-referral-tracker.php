<?php
/**
 * Referral capture on page views and referral meta on orders (WordPress glue).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || exit;

/**
 * Sets the `_sa_ref` cookie from `?ref=` (no JavaScript needed) and copies it onto orders.
 */
final class ShopAffiliate_Referral_Tracker {

	/**
	 * A referral seen in this request but not stored in a cookie (no consent).
	 *
	 * @var ShopAffiliate_Referral_Cookie|null
	 */
	private static ?ShopAffiliate_Referral_Cookie $request_referral = null;

	/**
	 * Describe the cookie to the WP Consent API (support itself is declared in ShopAffiliate_Plugin::boot()).
	 */
	public static function describe_cookie(): void {
		if ( function_exists( 'wp_add_cookie_info' ) ) {
			wp_add_cookie_info(
				ShopAffiliate_Referral_Cookie::NAME,
				'ShopAffiliate',
				self::consent_category(),
				/* translators: %d: number of days. */
				sprintf( _n( '%d day', '%d days', ShopAffiliate_Plugin::cookie_days(), 'shopaffiliate' ), ShopAffiliate_Plugin::cookie_days() ),
				__( 'Remembers which affiliate referred the visitor so the affiliate can be credited for an order.', 'shopaffiliate' ),
				__( 'Referral code, click id, time of arrival', 'shopaffiliate' )
			);
		}
	}

	/**
	 * On `init` (front end only): capture `?ref=CODE[&sa_click=UUID]`.
	 */
	public static function capture(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- a public tracking parameter, validated strictly below.
		if ( ! isset( $_GET[ ShopAffiliate_Referral_Capture::QUERY_REF ] ) ) {
			return;
		}
		if ( is_admin() || wp_doing_ajax() || wp_doing_cron() || ( defined( 'WP_CLI' ) && WP_CLI ) || ( defined( 'REST_REQUEST' ) && REST_REQUEST ) ) {
			return;
		}
		$query = array(
			ShopAffiliate_Referral_Capture::QUERY_REF   => is_string( $_GET[ ShopAffiliate_Referral_Capture::QUERY_REF ] ) ? wp_unslash( $_GET[ ShopAffiliate_Referral_Capture::QUERY_REF ] ) : null, // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- validated against a strict pattern.
			ShopAffiliate_Referral_Capture::QUERY_CLICK => isset( $_GET[ ShopAffiliate_Referral_Capture::QUERY_CLICK ] ) && is_string( $_GET[ ShopAffiliate_Referral_Capture::QUERY_CLICK ] ) ? wp_unslash( $_GET[ ShopAffiliate_Referral_Capture::QUERY_CLICK ] ) : null, // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- validated as a UUID.
		);
		// phpcs:enable WordPress.Security.NonceVerification.Recommended

		$decision = ShopAffiliate_Referral_Capture::decide(
			$query,
			self::cookie_value(),
			(string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::ATTRIBUTION ),
			self::has_consent(),
			time(),
			ShopAffiliate_Plugin::cookie_days()
		);

		if ( ShopAffiliate_Capture_Decision::NO_CONSENT === $decision->action ) {
			self::$request_referral = $decision->referral;
			return;
		}
		if ( ShopAffiliate_Capture_Decision::SET !== $decision->action || headers_sent() ) {
			return;
		}
		$value = (string) $decision->cookie_value();
		setrawcookie(
			ShopAffiliate_Referral_Cookie::NAME,
			$value,
			array(
				'expires'  => $decision->expires,
				'path'     => '/',
				'secure'   => is_ssl(),
				'httponly' => false, // sa.js reads it.
				'samesite' => 'Lax',
			)
		);
		$_COOKIE[ ShopAffiliate_Referral_Cookie::NAME ] = $value;
	}

	/**
	 * Classic checkout: `woocommerce_checkout_create_order` (the order is saved by WooCommerce afterwards).
	 *
	 * @param WC_Order $order Order being created.
	 * @param array    $data  Posted checkout data (unused).
	 */
	public static function on_classic_checkout( $order, $data = array() ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		self::apply_to_order( $order );
	}

	/**
	 * Block checkout: `woocommerce_store_api_checkout_update_order_from_request` (saved by the Store API afterwards).
	 *
	 * @param WC_Order        $order   Order being updated.
	 * @param WP_REST_Request $request Store API request (unused).
	 */
	public static function on_block_checkout( $order, $request = null ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		self::apply_to_order( $order );
	}

	/**
	 * Write `_sa_ref`, `_sa_click`, `_sa_landed_at` through the WC_Order CRUD API (HPOS-safe).
	 *
	 * @param mixed $order Order.
	 */
	private static function apply_to_order( $order ): void {
		if ( ! $order instanceof WC_Order ) {
			return;
		}
		$now      = time();
		$referral = ShopAffiliate_Referral_Cookie::decode( self::cookie_value(), $now ) ?? self::$request_referral;
		$meta     = ShopAffiliate_Order_Meta::from_referral( $referral, $now, ShopAffiliate_Plugin::cookie_days() );
		foreach ( $meta as $key => $value ) {
			$order->update_meta_data( $key, $value );
		}
		foreach ( ShopAffiliate_Order_Meta::keys_to_delete( $meta ) as $key ) {
			$order->delete_meta_data( $key );
		}
	}

	/**
	 * The current `_sa_ref` cookie value (unslashed; parsed strictly by the logic classes).
	 */
	private static function cookie_value(): ?string {
		if ( ! isset( $_COOKIE[ ShopAffiliate_Referral_Cookie::NAME ] ) || ! is_string( $_COOKIE[ ShopAffiliate_Referral_Cookie::NAME ] ) ) {
			return null;
		}
		return wp_unslash( $_COOKIE[ ShopAffiliate_Referral_Cookie::NAME ] ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- parsed by ShopAffiliate_Referral_Cookie::decode().
	}

	/**
	 * WP Consent API: allowed when the API is absent or the visitor consented to the category.
	 */
	private static function has_consent(): bool {
		if ( ! function_exists( 'wp_has_consent' ) ) {
			return true;
		}
		return (bool) wp_has_consent( self::consent_category() );
	}

	/**
	 * The configured consent category.
	 */
	private static function consent_category(): string {
		return ShopAffiliate_Options::consent_category( ShopAffiliate_Plugin::option( ShopAffiliate_Options::CONSENT_CATEGORY ) );
	}
}
