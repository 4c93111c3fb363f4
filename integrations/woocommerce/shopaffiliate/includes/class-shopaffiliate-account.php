<?php
/**
 * My Account > Affiliate tab (WordPress glue).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || exit;

/**
 * The `affiliate` My Account endpoint linking to the affiliate portal and the program page.
 */
final class ShopAffiliate_Account {

	const ENDPOINT = 'affiliate';

	/**
	 * Register the rewrite endpoint (on init, and before flushing on activation).
	 */
	public static function add_endpoint(): void {
		add_rewrite_endpoint( self::ENDPOINT, EP_ROOT | EP_PAGES );
	}

	/**
	 * Make WooCommerce aware of the endpoint.
	 *
	 * @param array $vars Query vars.
	 */
	public static function query_vars( $vars ): array {
		$vars                   = is_array( $vars ) ? $vars : array();
		$vars[ self::ENDPOINT ] = self::ENDPOINT;
		return $vars;
	}

	/**
	 * Add the tab before "Log out".
	 *
	 * @param array $items Menu items.
	 */
	public static function menu_items( $items ): array {
		$items  = is_array( $items ) ? $items : array();
		$logout = null;
		if ( isset( $items['customer-logout'] ) ) {
			$logout = $items['customer-logout'];
			unset( $items['customer-logout'] );
		}
		$items[ self::ENDPOINT ] = __( 'Affiliate', 'shopaffiliate' );
		if ( null !== $logout ) {
			$items['customer-logout'] = $logout;
		}
		return $items;
	}

	/**
	 * Endpoint title.
	 */
	public static function title(): string {
		return __( 'Affiliate program', 'shopaffiliate' );
	}

	/**
	 * Render the tab.
	 */
	public static function render(): void {
		$server  = ShopAffiliate_Plugin::server_url();
		$portal  = ShopAffiliate_Links::portal_url( $server );
		$program = ShopAffiliate_Links::program_url( $server, (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::WORKSPACE_SLUG ) );
		?>
		<div class="shopaffiliate-account">
			<p><?php esc_html_e( 'Earn a commission when people you refer buy from us. Affiliates manage their links, coupons, statistics and payouts in the affiliate portal.', 'shopaffiliate' ); ?></p>
			<p>
				<a class="button woocommerce-button" href="<?php echo esc_url( $portal ); ?>" target="_blank" rel="noopener"><?php esc_html_e( 'Open the affiliate portal', 'shopaffiliate' ); ?></a>
			</p>
			<?php if ( null !== $program ) : ?>
				<p>
					<a href="<?php echo esc_url( $program ); ?>" target="_blank" rel="noopener"><?php esc_html_e( 'Read about the program and apply', 'shopaffiliate' ); ?></a>
				</p>
			<?php endif; ?>
		</div>
		<?php
	}
}
