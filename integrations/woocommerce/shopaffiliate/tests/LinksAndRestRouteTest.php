<?php
/**
 * Tests for ShopAffiliate_Links, ShopAffiliate_Rest_Route and ShopAffiliate_Options.
 *
 * @package ShopAffiliate
 */

use PHPUnit\Framework\TestCase;

final class LinksAndRestRouteTest extends TestCase {

	public function test_connect_url_encodes_store_and_workspace(): void {
		$this->assertSame(
			'http://localhost:5080/woocommerce/connect?store_url=https%3A%2F%2Fshop.example.com%2Fde&workspace=ws%201%26x',
			ShopAffiliate_Links::connect_url( 'http://localhost:5080/', 'https://shop.example.com/de', 'ws 1&x' )
		);
	}

	public function test_connect_url_sends_a_connect_code_as_code_and_an_api_key_or_slug_as_workspace(): void {
		$this->assertSame(
			'https://app.example.com/woocommerce/connect?store_url=https%3A%2F%2Fshop.example.com&code=sac_abcdefghjkmnpqrstuvwxyz2',
			ShopAffiliate_Links::connect_url( 'https://app.example.com', 'https://shop.example.com', 'sac_abcdefghjkmnpqrstuvwxyz2' )
		);
		$this->assertSame(
			'https://app.example.com/woocommerce/connect?store_url=https%3A%2F%2Fshop.example.com&workspace=sa_legacy_key',
			ShopAffiliate_Links::connect_url( 'https://app.example.com', 'https://shop.example.com', 'sa_legacy_key' )
		);
		$this->assertTrue( ShopAffiliate_Links::is_connect_code( 'sac_x' ) );
		$this->assertFalse( ShopAffiliate_Links::is_connect_code( 'acme' ) );
		$this->assertFalse( ShopAffiliate_Links::is_connect_code( 'SAC_x' ) ); // the server's codes are lowercase
		$this->assertFalse( ShopAffiliate_Links::is_connect_code( 'xsac_' ) );
	}

	public function test_portal_and_program_urls(): void {
		$this->assertSame( 'https://app.example.com/portal', ShopAffiliate_Links::portal_url( 'https://app.example.com/' ) );
		$this->assertSame( 'https://app.example.com/p/acme', ShopAffiliate_Links::program_url( 'https://app.example.com', 'acme' ) );
		$this->assertNull( ShopAffiliate_Links::program_url( 'https://app.example.com', '' ) );
		$this->assertNull( ShopAffiliate_Links::program_url( 'https://app.example.com', '../admin' ) );
	}

	/**
	 * @dataProvider rest_uris
	 */
	public function test_rest_route_detection( string $uri, bool $expected ): void {
		$this->assertSame( $expected, ShopAffiliate_Rest_Route::is_plugin_request( $uri, 'wp-json' ) );
	}

	public static function rest_uris(): array {
		return array(
			'pretty'                 => array( '/wp-json/shopaffiliate/v1/config', true ),
			'pretty with query'      => array( '/wp-json/shopaffiliate/v1/config?consumer_key=ck_x', true ),
			'subdirectory install'   => array( '/shop/wp-json/shopaffiliate/v1/config', true ),
			'namespace root'         => array( '/wp-json/shopaffiliate/v1', true ),
			'plain permalinks'       => array( '/?rest_route=/shopaffiliate/v1/config', true ),
			'plain encoded'          => array( '/index.php?rest_route=%2Fshopaffiliate%2Fv1%2Fconfig', true ),
			'other namespace'        => array( '/wp-json/wp/v2/users', false ),
			'look-alike namespace'   => array( '/wp-json/shopaffiliate/v10/config', false ),
			'namespace only in query' => array( '/wp-json/wp/v2/users?x=/wp-json/shopaffiliate/v1/', false ),
			'front page'             => array( '/?ref=jane', false ),
			'plain other route'      => array( '/?rest_route=/wp/v2/users&y=shopaffiliate/v1/', false ),
		);
	}

	public function test_options_defaults_and_clamps(): void {
		$defaults = ShopAffiliate_Options::defaults();
		$this->assertSame( 'http://localhost:5080', $defaults['shopaffiliate_server_url'] );
		$this->assertSame( 30, $defaults['shopaffiliate_cookie_days'] );
		$this->assertSame( 'last_click', $defaults['shopaffiliate_attribution'] );
		$this->assertSame( 'marketing', $defaults['shopaffiliate_consent_category'] );
		$this->assertContains( 'shopaffiliate_launch_secret', ShopAffiliate_Options::all() );
		$this->assertSame( 14, ShopAffiliate_Options::cookie_days( '14' ) );
		$this->assertSame( 30, ShopAffiliate_Options::cookie_days( 'abc' ) );
		$this->assertSame( 'first_click', ShopAffiliate_Options::attribution( 'first_click' ) );
		$this->assertSame( 'last_click', ShopAffiliate_Options::attribution( 'nonsense' ) );
		$this->assertSame( 'marketing', ShopAffiliate_Options::consent_category( 'nonsense' ) );
	}
}
